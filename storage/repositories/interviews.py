"""Interviews a person told Rebound about, and the notes sent around them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Interview, Schedule, User


async def awaiting_notes(session: AsyncSession, earliest: date) -> Sequence[Row[*tuple[Any, ...]]]:
    """Interviews held on ``earliest`` or later whose day-after question is not sent yet,
    for people with check-ins on: the interview, with the check-in's zone and local time
    and what decides whether to send (pause, crisis, unreachable)."""
    result = await session.execute(
        select(
            Interview,
            Schedule.timezone,
            Schedule.local_time,
            User.paused_until,
            User.crisis_at,
            User.unreachable_at,
        )
        .join(User, User.id == Interview.user_id)
        .join(Schedule, (Schedule.user_id == Interview.user_id) & (Schedule.kind == "checkin"))
        .where(
            Schedule.enabled.is_(True),
            Interview.held_on.is_not(None),
            Interview.held_on >= earliest,
            Interview.asked_at.is_(None),
        )
        .order_by(Interview.id)
    )
    return result.all()


async def on_day(session: AsyncSession, user_id: int, day: date) -> Sequence[Interview]:
    """The person's interviews held on ``day`` (their local date)."""
    result = await session.scalars(
        select(Interview)
        .where(Interview.user_id == user_id, Interview.held_on == day)
        .order_by(Interview.id)
    )
    return result.all()
