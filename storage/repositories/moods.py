"""Mood entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MoodEntry

# Built once: /mood shows the recent entries every time (issue 17).
_RECENT = (
    select(MoodEntry)
    .where(MoodEntry.user_id == bindparam("user_id"))
    .order_by(MoodEntry.created_at.desc(), MoodEntry.id.desc())
    .limit(bindparam("limit"))
)


_TABLE = cast(Table, MoodEntry.__table__)
_ADD = insert(_TABLE).returning(_TABLE.c.id)


async def add(
    session: AsyncSession, user_id: int, score: int, note: str | None, now: datetime
) -> int:
    """Store one entry (``score`` 1-5, ``now`` aware UTC); returns its id. One prebuilt
    Core statement: every /mood runs it (issue 17)."""
    new_id = await session.scalar(
        _ADD, {"user_id": user_id, "score": score, "note": note, "created_at": now}
    )
    return int(new_id)


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
