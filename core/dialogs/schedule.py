"""/timezone, /affirmations, /checkins and /settings: when scheduled messages come.

With arguments each acts at once (``/timezone Berlin``, ``/affirmations 8:30``,
``/affirmations off``, ``/checkins mon,thu 18:00``, ``/checkins off``); without, it shows
the current setting and asks, with buttons. Every change recomputes the next due
instant in the person's zone (core/schedule_setup.py).
"""

from __future__ import annotations

from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.pause import describe_pause
from core.messages import Button, Reply
from core.schedule_setup import (
    CHECKIN_PRESETS,
    DEFAULT_AFFIRMATION_TIME,
    DEFAULT_CHECKIN_DAYS,
    DEFAULT_CHECKIN_TIME,
    days_and_time,
    describe_days,
    describe_schedules,
    move_to_zone,
    set_schedule,
)
from core.timeparse import (
    describe_zone,
    is_valid_zone,
    parse_time,
    parse_weekdays,
    zone_label,
    zone_options,
)
from storage.repositories import schedules

SUMMARY_DAYS, SUMMARY_TIME = "sun", "18:00"
"""The weekly summary comes on Sunday evening, local time."""
AFFIRMATION_TIMES = ("08:00", DEFAULT_AFFIRMATION_TIME, "12:00", "20:00")
OFF = "off"
KEEP = "keep"
PRESETS = {value: f"{days} {DEFAULT_CHECKIN_TIME}" for value, days in CHECKIN_PRESETS.items()}
"""Button values of /checkins -> what they stand for."""


def _local(ctx: Context) -> str:
    return ctx.local_now.strftime("%H:%M")


def _zone(ctx: Context) -> str:
    return describe_zone(ctx.user.timezone)


def _in_utc(ctx: Context) -> list[Reply]:
    return [reply(ctx.say("schedule.utc_hint"))] if ctx.user.timezone == "UTC" else []


async def start(ctx: Context, answer: Answer) -> Outcome:
    entry = {
        "timezone": _timezone,
        "affirmations": _affirmations,
        "checkins": _checkins,
        "settings": _settings,
        "summary": _summary,
    }[answer.command or "settings"]
    return await entry(ctx, answer.text.strip())


ZONE_CHOICE = "z:"
"""Button value prefix of a zone picked among several (``z:America/Chicago``)."""

# -- /timezone ------------------------------------------------------------------------


async def _timezone(ctx: Context, typed: str) -> Outcome:
    if typed:
        return await _set_zone(ctx, typed, again=False)
    return _ask_zone(ctx, ctx.say("schedule.timezone.ask", zone=_zone(ctx), local=_local(ctx)))


def _ask_zone(ctx: Context, text: str) -> Outcome:
    return ask("zone", reply(text, ctx.choice(ctx.say("schedule.keep"), KEEP)))


async def _set_zone(ctx: Context, typed: str, *, again: bool) -> Outcome:
    options = zone_options(typed)
    if len(options) > 1:  # a real ambiguity: the person picks
        return ask("zone", zone_question(ctx, options, typed))
    found = options[0][0] if options else None
    if found is None:
        unknown = ctx.say("schedule.timezone.unknown", zone=typed[:60])
        return _ask_zone(ctx, unknown) if again else done(reply(unknown))
    await move_to_zone(ctx, found)
    return done(reply(ctx.say("schedule.timezone.set", zone=_zone(ctx), local=_local(ctx))))


def zone_question(ctx: Context, options: list[tuple[str, str]], typed: str) -> Reply:
    """Buttons for the zones an ambiguous place may mean ("Birmingham"), each named by
    its largest city and its offset now."""
    buttons = [
        ctx.choice(zone_label(zone_name, city, ctx.now)[:60], f"{ZONE_CHOICE}{zone_name}")
        for zone_name, city in options
    ]
    return reply(ctx.say("schedule.timezone.which", zone=typed[:60]), *buttons)


def chosen_zone(answer: Answer) -> str | None:
    """The zone a pressed zone button names, if it is a real one."""
    if answer.choice and answer.choice.startswith(ZONE_CHOICE):
        name = answer.choice[len(ZONE_CHOICE) :]
        return name if is_valid_zone(name) else None
    return None


async def zone(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == KEEP:
        return done(reply(ctx.say("schedule.timezone.kept", zone=_zone(ctx))))
    picked = chosen_zone(answer)
    if picked is not None:
        await move_to_zone(ctx, picked)
        return done(reply(ctx.say("schedule.timezone.set", zone=_zone(ctx), local=_local(ctx))))
    if not answer.text:
        return _ask_zone(ctx, ctx.say("schedule.timezone.ask", zone=_zone(ctx), local=_local(ctx)))
    return await _set_zone(ctx, answer.text.strip(), again=True)


# -- /affirmations ----------------------------------------------------------------------


async def _affirmations(ctx: Context, typed: str) -> Outcome:
    if typed:
        return await _set_affirmations(ctx, typed) or done(
            reply(ctx.say("schedule.affirmations.unclear"))
        )
    return await _ask_affirmations(ctx, None)


async def _ask_affirmations(ctx: Context, key: str | None) -> Outcome:
    current = await schedules.get(ctx.session, ctx.user.id, "affirmation")
    if current is not None and current.enabled:
        now = ctx.say("schedule.affirmations.current_on", time=current.local_time)
    else:
        now = ctx.say("schedule.affirmations.current_off")
    text = ctx.say(key) if key else ctx.say("schedule.affirmations.ask", current=now)
    buttons = [ctx.choice(t, t) for t in AFFIRMATION_TIMES]
    buttons += [
        ctx.choice(ctx.say("schedule.off"), OFF),
        ctx.choice(ctx.say("schedule.keep"), KEEP),
    ]
    return ask("affirmation_time", reply(text, *buttons))


async def _set_affirmations(ctx: Context, typed: str) -> Outcome | None:
    if typed.lower() in (OFF, "no", "stop", "none"):
        current = await schedules.get(ctx.session, ctx.user.id, "affirmation")
        at = current.local_time if current is not None else DEFAULT_AFFIRMATION_TIME
        await set_schedule(ctx, "affirmation", local_time=at, days="daily", enabled=False)
        return done(reply(ctx.say("schedule.affirmations.off")))
    chosen = parse_time(typed)
    if chosen is None:
        return None
    await set_schedule(ctx, "affirmation", local_time=chosen, days="daily")
    text = ctx.say("schedule.affirmations.set", time=chosen, zone=_zone(ctx))
    return done(reply(text), *_in_utc(ctx))


async def affirmation_time(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == KEEP:
        return done(reply(ctx.say("schedule.affirmations.kept")))
    typed = answer.choice or answer.text.strip()
    outcome = await _set_affirmations(ctx, typed) if typed else None
    if outcome is not None:
        return outcome
    if answer.text and not any(c.isdigit() for c in answer.text):
        return not_mine()
    return await _ask_affirmations(ctx, "schedule.affirmations.unclear")


# -- /checkins ---------------------------------------------------------------------------


async def _checkins(ctx: Context, typed: str) -> Outcome:
    if typed:
        return await _set_checkins(ctx, typed) or done(reply(ctx.say("schedule.checkins.unclear")))
    return await _ask_checkins(ctx, None)


async def _ask_checkins(ctx: Context, key: str | None) -> Outcome:
    current = await schedules.get(ctx.session, ctx.user.id, "checkin")
    if current is not None and current.enabled:
        now = ctx.say(
            "schedule.checkins.current_on",
            days=describe_days(current.days),
            time=current.local_time,
        )
    else:
        now = ctx.say("schedule.checkins.current_off")
    text = ctx.say(key) if key else ctx.say("schedule.checkins.ask", current=now)
    return ask(
        "checkin_plan",
        reply(
            text,
            ctx.choice(ctx.say("schedule.checkins.default"), "default"),
            ctx.choice(ctx.say("schedule.checkins.weekdays"), "weekdays"),
            ctx.choice(ctx.say("schedule.off"), OFF),
            ctx.choice(ctx.say("schedule.keep"), KEEP),
        ),
    )


async def _set_checkins(ctx: Context, typed: str) -> Outcome | None:
    current = await schedules.get(ctx.session, ctx.user.id, "checkin")
    if typed.lower() in (OFF, "no", "stop", "none"):
        days = current.days if current is not None else DEFAULT_CHECKIN_DAYS
        at = current.local_time if current is not None else DEFAULT_CHECKIN_TIME
        await set_schedule(ctx, "checkin", local_time=at, days=days, enabled=False)
        return done(reply(ctx.say("schedule.checkins.off")))
    parsed = days_and_time(typed, current)
    if parsed is None:
        return None
    days, at = parsed
    await set_schedule(ctx, "checkin", local_time=at, days=days)
    text = ctx.say("schedule.checkins.set", days=describe_days(days), time=at, zone=_zone(ctx))
    return done(reply(text), *_in_utc(ctx))


async def checkin_plan(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == KEEP:
        return done(reply(ctx.say("schedule.checkins.kept")))
    typed = PRESETS.get(answer.choice or "", answer.choice) or answer.text.strip()
    outcome = await _set_checkins(ctx, typed) if typed else None
    if outcome is not None:
        return outcome
    if answer.text and parse_weekdays(answer.text) is None and parse_time(answer.text) is None:
        if not any(c.isdigit() for c in answer.text):
            return not_mine()
    return await _ask_checkins(ctx, "schedule.checkins.unclear")


# -- /settings ---------------------------------------------------------------------------


async def _settings(ctx: Context, typed: str) -> Outcome:
    by_kind = {s.kind: s for s in await schedules.list_for(ctx.session, ctx.user.id)}
    summary = by_kind.get("summary")
    lines = [ctx.say("schedule.settings.heading"), *await describe_schedules(ctx)]
    paused = ctx.user.paused_until is not None and ctx.user.paused_until > ctx.now
    if paused:
        lines.append(describe_pause(ctx))
    crisis = ctx.user.crisis_at
    hours = ctx.settings.crisis_pause_hours
    if crisis is not None and (ctx.now - crisis).total_seconds() < hours * 3600:
        lines.append(ctx.say("schedule.settings.crisis"))
    pause_button = (
        ctx.command(ctx.say("schedule.settings.resume"), "/resume")
        if paused
        else ctx.command(ctx.say("schedule.settings.pause"), "/pause")
    )
    return done(
        reply(
            "\n".join(lines),
            ctx.command(ctx.say("schedule.settings.change_zone"), "/timezone"),
            ctx.command(ctx.say("schedule.settings.change_affirmations"), "/affirmations"),
            ctx.command(ctx.say("schedule.settings.change_checkins"), "/checkins"),
            _summary_button(ctx, summary is not None and summary.enabled),
            pause_button,
            personal=True,
        )
    )


# -- /summary on|off (hidden: the /settings button carries it) ----------------------------


def _summary_button(ctx: Context, enabled: bool) -> Button:
    if enabled:
        return ctx.command(ctx.say("schedule.summary.turn_off"), "/summary off")
    return ctx.command(ctx.say("schedule.summary.turn_on"), "/summary on")


async def _summary(ctx: Context, typed: str) -> Outcome:
    if typed.lower() not in ("on", "off"):
        return done(reply(ctx.say("schedule.summary.usage")))
    enabled = typed.lower() == "on"
    await set_schedule(ctx, "summary", local_time=SUMMARY_TIME, days=SUMMARY_DAYS, enabled=enabled)
    if not enabled:
        return done(reply(ctx.say("schedule.summary.off")))
    return done(
        reply(ctx.say("schedule.summary.on", days=describe_days(SUMMARY_DAYS), time=SUMMARY_TIME))
    )


DIALOG = Dialog(
    name="schedule",
    commands=("timezone", "affirmations", "checkins", "settings", "summary"),
    unlisted=("summary",),
    steps={
        "start": start,
        "zone": zone,
        "affirmation_time": affirmation_time,
        "checkin_plan": checkin_plan,
    },
)
