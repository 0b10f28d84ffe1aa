"""Recurring messages: one row per (person, kind)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Schedule


async def list_for(session: AsyncSession, user_id: int) -> Sequence[Schedule]:
    result = await session.scalars(
        select(Schedule).where(Schedule.user_id == user_id).order_by(Schedule.kind)
    )
    return result.all()


async def get(session: AsyncSession, user_id: int, kind: str) -> Schedule | None:
    return await session.scalar(
        select(Schedule).where(Schedule.user_id == user_id, Schedule.kind == kind)
    )


async def upsert(
    session: AsyncSession,
    user_id: int,
    kind: str,
    *,
    local_time: str,
    days: str,
    timezone: str,
    enabled: bool,
    next_due_at: datetime | None,
) -> Schedule:
    schedule = await get(session, user_id, kind)
    if schedule is None:
        schedule = Schedule(user_id=user_id, kind=kind)
        session.add(schedule)
    schedule.local_time = local_time
    schedule.days = days
    schedule.timezone = timezone
    schedule.enabled = enabled
    schedule.next_due_at = next_due_at if enabled else None
    await session.flush()
    return schedule
