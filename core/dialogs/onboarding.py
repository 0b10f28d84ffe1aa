"""/start: name, time zone, consent to keep mood notes, affirmation time, check-in days.

Every step can be skipped; what was answered is saved as soon as it is answered, so
leaving half-way keeps the first answers.
"""

from __future__ import annotations

from dataclasses import replace

from core.dialog import Answer, Context, Dialog, Outcome, ask, done, reply
from core.dialogs.schedule import chosen_zone, zone_question
from core.menus import main_menu
from core.messages import Button
from core.schedule_setup import (
    CHECKIN_PRESETS,
    DEFAULT_AFFIRMATION_TIME,
    DEFAULT_CHECKIN_DAYS,
    DEFAULT_CHECKIN_TIME,
    days_and_time,
    describe_schedules,
    move_to_zone,
    set_schedule,
)
from core.timeparse import parse_time, zone_options

NAME_LIMIT = 60
SKIP = "skip"


def _skip(ctx: Context) -> tuple[Button, ...]:
    return (ctx.choice(ctx.say("onboarding.skip"), SKIP),)


AGAIN = "again"
"""``/start again``: the full set-up for someone already set up (the welcome back's button)."""


async def start(ctx: Context, answer: Answer) -> Outcome:
    """A new person goes through the set-up; someone already set up gets a short welcome
    back with /settings (a second /start, a deep link the engine could not route), unless
    they ask for ``/start again``. Deep links to other commands (``/start mood``,
    ``/start vouch-CODE``) are routed by the engine before this step runs."""
    if ctx.user.onboarded and answer.text.strip().lower() != AGAIN:
        name_part = f", {ctx.user.name}" if ctx.user.name else ""
        return done(
            reply(
                ctx.say("onboarding.welcome_back", name_part=name_part),
                ctx.command(ctx.say("onboarding.settings_button"), "/settings"),
                ctx.command(ctx.say("onboarding.again_button"), f"/start {AGAIN}"),
                *main_menu(),
            )
        )
    return ask(
        "name",
        reply(ctx.say("onboarding.welcome")),
        reply(ctx.say("onboarding.ask_name"), *_skip(ctx)),
    )


def _ask_zone(ctx: Context) -> Outcome:
    return ask("zone", reply(ctx.say("onboarding.ask_zone"), *_skip(ctx)))


async def name(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == SKIP:
        return _ask_zone(ctx)
    typed = " ".join(answer.text.split())
    if not typed:
        return ask("name", reply(ctx.say("onboarding.ask_name"), *_skip(ctx)))
    if len(typed) > NAME_LIMIT:
        return ask("name", reply(ctx.say("onboarding.name_too_long"), *_skip(ctx)))
    ctx.user.name = typed
    return _ask_zone(ctx)


def _ask_consent(ctx: Context) -> Outcome:
    return ask(
        "consent",
        reply(
            ctx.say("onboarding.ask_consent"),
            ctx.choice(ctx.say("onboarding.yes_keep"), "yes"),
            ctx.choice(ctx.say("onboarding.no_keep"), "no"),
            ctx.choice(ctx.say("onboarding.skip"), SKIP),
        ),
    )


async def zone(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == SKIP:
        return _ask_consent(ctx)
    picked = chosen_zone(answer)
    if picked is not None:
        await move_to_zone(ctx, picked)
        return _ask_consent(ctx)
    if not answer.text:
        return _ask_zone(ctx)
    options = zone_options(answer.text)
    if len(options) > 1:  # a real ambiguity: the person picks
        question = zone_question(ctx, options, answer.text)
        return ask("zone", replace(question, buttons=(*question.buttons, *_skip(ctx))))
    found = options[0][0] if options else None
    if found is None:
        return ask(
            "zone",
            reply(ctx.say("onboarding.zone_unknown", zone=answer.text[:60]), *_skip(ctx)),
        )
    await move_to_zone(ctx, found)
    return _ask_consent(ctx)


def _ask_affirmation(ctx: Context, key: str = "onboarding.ask_affirmation") -> Outcome:
    return ask(
        "affirmation",
        reply(
            ctx.say(key),
            ctx.choice("08:00", "08:00"),
            ctx.choice(DEFAULT_AFFIRMATION_TIME, DEFAULT_AFFIRMATION_TIME),
            ctx.choice("12:00", "12:00"),
            ctx.choice(ctx.say("onboarding.no_thanks"), "off"),
        ),
    )


async def consent(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice in ("yes", "no"):
        ctx.user.mood_consent = answer.choice == "yes"
    elif answer.choice != SKIP:
        return _ask_consent(ctx)
    return _ask_affirmation(ctx)


def _ask_checkins(ctx: Context, key: str = "onboarding.ask_checkins") -> Outcome:
    return ask(
        "checkins",
        reply(
            ctx.say(key),
            ctx.choice(ctx.say("onboarding.checkins_default"), "default"),
            ctx.choice(ctx.say("onboarding.checkins_weekdays"), "weekdays"),
            ctx.choice(ctx.say("onboarding.no_thanks"), "off"),
        ),
    )


async def affirmation(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "off":
        await set_schedule(
            ctx, "affirmation", local_time=DEFAULT_AFFIRMATION_TIME, days="daily", enabled=False
        )
        return _ask_checkins(ctx)
    chosen = parse_time(answer.choice or answer.text)
    if chosen is None:
        return _ask_affirmation(ctx, "onboarding.time_unclear")
    await set_schedule(ctx, "affirmation", local_time=chosen, days="daily")
    return _ask_checkins(ctx)


async def checkins(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "off":
        await set_schedule(
            ctx,
            "checkin",
            local_time=DEFAULT_CHECKIN_TIME,
            days=DEFAULT_CHECKIN_DAYS,
            enabled=False,
        )
        return await _finish(ctx)
    if answer.choice in CHECKIN_PRESETS:
        days = CHECKIN_PRESETS[answer.choice]
        await set_schedule(ctx, "checkin", local_time=DEFAULT_CHECKIN_TIME, days=days)
        return await _finish(ctx)
    parsed = days_and_time(answer.text)
    if parsed is None:
        return _ask_checkins(ctx, "onboarding.checkins_unclear")
    days, at = parsed
    await set_schedule(ctx, "checkin", local_time=at, days=days)
    return await _finish(ctx)


async def _finish(ctx: Context) -> Outcome:
    ctx.user.onboarded = True
    summary = " ".join(await describe_schedules(ctx))
    name_part = f", {ctx.user.name}" if ctx.user.name else ""
    text = ctx.say("onboarding.done", name_part=name_part, summary=summary)
    return done(reply(text, *main_menu()))


DIALOG = Dialog(
    name="onboarding",
    commands=("start",),
    steps={
        "start": start,
        "name": name,
        "zone": zone,
        "consent": consent,
        "affirmation": affirmation,
        "checkins": checkins,
    },
)
