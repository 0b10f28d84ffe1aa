"""/affirmation: one affirmation now, suited to the recent mood, the hour and not seen
lately; up to ``affirmations.ON_DEMAND_PER_DAY`` a day, so the scheduled one stays fresh."""

from __future__ import annotations

from datetime import datetime, time

from core import affirmations
from core.dialog import Answer, Context, Dialog, Outcome, done, reply
from storage.repositories import deliveries


async def _asked_today(ctx: Context) -> int:
    """How many affirmations the person asked for today (their local day); the scheduled
    one, if it came today, does not count."""
    midnight = datetime.combine(ctx.today, time(0), tzinfo=ctx.zone)
    return await deliveries.asked_since(ctx.session, ctx.user.id, midnight)


async def start(ctx: Context, answer: Answer) -> Outcome:
    asked = await _asked_today(ctx)
    mood = ctx.command(ctx.say("schedule.affirmation.mood"), "/mood")
    if asked >= affirmations.ON_DEMAND_PER_DAY:
        strengths = ctx.command(ctx.say("schedule.affirmation.strengths"), "/strengths")
        return done(reply(ctx.say("schedule.affirmation.enough_today"), strengths, mood))
    users = [ctx.user.id]
    moods = await deliveries.recent_moods(ctx.session, users, ctx.now - affirmations.MOOD_WINDOW)
    seen = await deliveries.affirmations_seen(ctx.session, users, ctx.now - affirmations.NO_REPEAT)
    chosen = affirmations.choose(
        moods.get(ctx.user.id, []), seen.get(ctx.user.id, {}), hour=ctx.local_now.hour
    )
    await deliveries.record_seen(ctx.session, [(ctx.user.id, chosen.id, ctx.now)])
    buttons = [mood]
    if asked + 1 < affirmations.ON_DEMAND_PER_DAY:
        buttons.insert(0, ctx.command(ctx.say("schedule.affirmation.another"), "/affirmation"))
    return done(reply(chosen.text, *buttons))


DIALOG = Dialog(
    name="affirmation", commands=("affirmation",), steps={"start": start}, personal=False
)
