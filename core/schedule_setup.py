"""Turning a person's choices into schedule rows with their next due instant."""

from __future__ import annotations

from core.dialog import Context
from core.recurrence import next_occurrence
from storage.models import Schedule
from storage.repositories import schedules

DEFAULT_AFFIRMATION_TIME = "09:00"
DEFAULT_CHECKIN_DAYS = "mon,thu"
DEFAULT_CHECKIN_TIME = "18:00"


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
