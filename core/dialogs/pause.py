"""/pause [days] and /resume: hold every scheduled message, then start again.

A pause sets ``users.paused_until``; the scheduler sends nothing before it (missed days
are not sent afterwards). ``/pause`` without a number offers 1 day, 3 days, a week or
until /resume.
"""

from __future__ import annotations

from datetime import timedelta

from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import format_date, small_int
from core.schedule_setup import move_to_zone
from core.words import duration_days
from storage.repositories import schedules

MAX_DAYS = 365
FOREVER = timedelta(days=365 * 100)
"""``Until I resume``: a pause further away than any real date shown to the person."""
FOREVER_SHOWN_AFTER = timedelta(days=MAX_DAYS + 1)


def describe_pause(ctx: Context) -> str:
    until = ctx.user.paused_until
    if until is None or until - ctx.now > FOREVER_SHOWN_AFTER:
        return ctx.say("schedule.settings.paused_forever")
    local = until.astimezone(ctx.zone)
    return ctx.say(
        "schedule.settings.paused", date=format_date(local.date()), time=f"{local:%H:%M}"
    )


def _ask(ctx: Context) -> Outcome:
    return ask(
        "length",
        reply(
            ctx.say("schedule.pause.ask"),
            ctx.choice(ctx.say("schedule.pause.one_day"), "1"),
            ctx.choice(ctx.say("schedule.pause.three_days"), "3"),
            ctx.choice(ctx.say("schedule.pause.week"), "7"),
            ctx.choice(ctx.say("schedule.pause.until_resume"), "forever"),
        ),
    )


def parse_day_count(text: str) -> int | None:
    """``3``, ``3 days``, ``3d``, ``two weeks``, ``a fortnight``, ``1 month`` -> days
    (core.words.duration_days); None unless 1-365 days."""
    words = text.strip().lower().split()
    if len(words) == 1 or (len(words) == 2 and words[1] in ("day", "days")):
        number = small_int(words[0].removesuffix("d"), 1, MAX_DAYS)
        if number is not None:
            return number
    days = duration_days(text)
    return days if days is not None and 1 <= days <= MAX_DAYS else None


def _pause(ctx: Context, length: timedelta | None) -> Outcome:
    ctx.user.paused_until = ctx.now + (length or FOREVER)
    if length is None:
        return done(reply(ctx.say("schedule.pause.set_forever")))
    local = ctx.user.paused_until.astimezone(ctx.zone)
    until = {"date": format_date(local.date()), "time": f"{local:%H:%M}"}
    return done(reply(ctx.say("schedule.pause.set", **until)))


async def start(ctx: Context, answer: Answer) -> Outcome:
    if answer.command == "resume":
        return await _resume(ctx)
    if not answer.text:
        return _ask(ctx)
    if answer.text.strip().lower() in ("forever", "indefinitely", "until resume"):
        return _pause(ctx, None)
    days = parse_day_count(answer.text)
    if days is None:
        return done(reply(ctx.say("schedule.pause.usage")))
    return _pause(ctx, timedelta(days=days))


async def length(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "forever":
        return _pause(ctx, None)
    days = parse_day_count(answer.choice or answer.text)
    if days is not None:
        return _pause(ctx, timedelta(days=days))
    if answer.text:
        return not_mine()
    return _ask(ctx)


async def _resume(ctx: Context) -> Outcome:
    was_paused = ctx.user.paused_until is not None and ctx.user.paused_until > ctx.now
    ctx.user.paused_until = None
    if not was_paused:
        if not await schedules.list_for(ctx.session, ctx.user.id):
            return done(reply(ctx.say("schedule.pause.nothing_scheduled")))
        return done(reply(ctx.say("schedule.pause.already_running")))
    # Next occurrences from now on: days missed while paused are not sent afterwards.
    await move_to_zone(ctx, ctx.user.timezone)
    return done(reply(ctx.say("schedule.pause.resumed")))


DIALOG = Dialog(
    name="pause",
    commands=("pause", "resume"),
    steps={"start": start, "length": length},
)
