"""Mood entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MoodEntry

# Built once: /mood shows the recent entries every time (issue 17).
_RECENT = (
    select(MoodEntry)
    .where(MoodEntry.user_id == bindparam("user_id"))
    .order_by(MoodEntry.created_at.desc(), MoodEntry.id.desc())
    .limit(bindparam("limit"))
)


async def add(
    session: AsyncSession, user_id: int, score: int, note: str | None, now: datetime
) -> MoodEntry:
    entry = MoodEntry(user_id=user_id, score=score, note=note, created_at=now)
    session.add(entry)
    return entry


async def recent(session: AsyncSession, user_id: int, limit: int = 7) -> Sequence[MoodEntry]:
    """The newest ``limit`` entries, newest first."""
    result = await session.scalars(_RECENT, {"user_id": user_id, "limit": limit})
    return result.all()


async def since(session: AsyncSession, user_id: int, start: datetime) -> Sequence[MoodEntry]:
    """Entries from ``start`` on, oldest first."""
    result = await session.scalars(
        select(MoodEntry)
        .where(MoodEntry.user_id == user_id, MoodEntry.created_at >= start)
        .order_by(MoodEntry.created_at, MoodEntry.id)
    )
    return result.all()
