"""Turning a person's choices into schedule rows with their next due instant, and
describing them back."""

from __future__ import annotations

from core import content
from core.dialog import Context
from core.recurrence import WEEKDAYS, next_occurrence
from core.timeparse import describe_zone, parse_weekdays, split_days_and_time
from storage.models import Schedule
from storage.repositories import schedules

DEFAULT_AFFIRMATION_TIME = "09:00"
DEFAULT_CHECKIN_DAYS = "mon,thu"
DEFAULT_CHECKIN_TIME = "18:00"
WORKING_DAYS = "mon,tue,wed,thu,fri"
CHECKIN_PRESETS = {"default": DEFAULT_CHECKIN_DAYS, "weekdays": WORKING_DAYS}
"""Check-in button values (onboarding, /checkins) -> the days they stand for."""


def days_and_time(typed: str, current: Schedule | None = None) -> tuple[str, str] | None:
    """``mon,thu 18:00``, ``Mon, wed, fri at 7pm``, ``tuesdays 18:00``, ``every weekday at
    9am``, ``weekdays``, ``19:00`` -> (days, time); what is left out stays as it was
    (``current``) or takes the default. None when the words are not days and a time."""
    days = current.days if current is not None else DEFAULT_CHECKIN_DAYS
    at = current.local_time if current is not None else DEFAULT_CHECKIN_TIME
    if not typed.split():
        return None
    rest, time_given = split_days_and_time(typed)
    if time_given is not None:
        at = time_given
    if rest.strip(" ,"):
        days_given = parse_weekdays(rest)
        if days_given is None:
            return None
        days = days_given
    return days, at


async def set_schedule(
    ctx: Context, kind: str, *, local_time: str, days: str, enabled: bool = True
) -> Schedule:
    """Create or change the person's ``kind`` schedule, due next after now in their zone."""
    zone = ctx.user.timezone
    due = next_occurrence(local_time, days, zone, ctx.now) if enabled else None
    return await schedules.upsert(
        ctx.session,
        ctx.user.id,
        kind,
        local_time=local_time,
        days=days,
        timezone=zone,
        enabled=enabled,
        next_due_at=due,
    )


async def move_to_zone(ctx: Context, zone: str) -> None:
    """Set the person's zone and recompute every schedule's next instant in it."""
    ctx.user.timezone = zone
    for schedule in await schedules.list_for(ctx.session, ctx.user.id):
        await set_schedule(
            ctx,
            schedule.kind,
            local_time=schedule.local_time,
            days=schedule.days,
            enabled=schedule.enabled,
        )


def describe_days(days: str) -> str:
    """``mon,thu`` -> ``Mon, Thu``; ``daily`` -> ``every day`` (words from schedule.toml)."""
    if days == "daily":
        return content.text("schedule.days.daily")
    names = [content.text(f"schedule.days.{d}") for d in days.split(",") if d in WEEKDAYS]
    return content.text("schedule.days.separator").join(names)


async def describe_schedules(ctx: Context) -> list[str]:
    """The person's time zone and scheduled messages, one line each (used by /settings;
    fit for the end of /start too)."""
    by_kind = {s.kind: s for s in await schedules.list_for(ctx.session, ctx.user.id)}
    local = ctx.local_now.strftime("%H:%M")
    lines = [ctx.say("schedule.settings.zone", zone=describe_zone(ctx.user.timezone), local=local)]
    aff = by_kind.get("affirmation")
    if aff is not None and aff.enabled:
        lines.append(ctx.say("schedule.settings.affirmation_on", time=aff.local_time))
    else:
        lines.append(ctx.say("schedule.settings.affirmation_off"))
    for kind, key in (("checkin", "checkins"), ("summary", "summary")):
        row = by_kind.get(kind)
        if row is not None and row.enabled:
            days = describe_days(row.days)
            lines.append(ctx.say(f"schedule.settings.{key}_on", days=days, time=row.local_time))
        else:
            lines.append(ctx.say(f"schedule.settings.{key}_off"))
    return lines
