"""/affirmation: one affirmation now, suited to the recent mood and not seen lately."""

from __future__ import annotations

from core import affirmations
from core.dialog import Answer, Context, Dialog, Outcome, done, reply
from storage.repositories import deliveries


async def start(ctx: Context, answer: Answer) -> Outcome:
    users = [ctx.user.id]
    moods = await deliveries.recent_moods(ctx.session, users, ctx.now - affirmations.MOOD_WINDOW)
    seen = await deliveries.affirmations_seen(ctx.session, users, ctx.now - affirmations.NO_REPEAT)
    chosen = affirmations.choose(moods.get(ctx.user.id, []), seen.get(ctx.user.id, {}))
    await deliveries.record_seen(ctx.session, [(ctx.user.id, chosen.id, ctx.now)])
    return done(
        reply(
            chosen.text,
            ctx.command(ctx.say("schedule.affirmation.another"), "/affirmation"),
            ctx.command(ctx.say("schedule.affirmation.mood"), "/mood"),
        )
    )


DIALOG = Dialog(
    name="affirmation", commands=("affirmation",), steps={"start": start}, personal=False
)
