"""A person's saved strengths."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Strength

# Built once: listing and counting run for the most frequent messages (issue 17).
_LIST = select(Strength).where(Strength.user_id == bindparam("user_id")).order_by(Strength.id)
_COUNT = select(func.count()).select_from(Strength).where(Strength.user_id == bindparam("user_id"))
_TABLE = cast(Table, Strength.__table__)
_TEXTS = select(_TABLE.c.text).where(_TABLE.c.user_id == bindparam("user_id"))
_ADD = insert(_TABLE).returning(_TABLE.c.id)
_PAGE = (
    select(Strength)
    .where(Strength.user_id == bindparam("user_id"))
    .order_by(Strength.id)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)


async def list_for(session: AsyncSession, user_id: int) -> Sequence[Strength]:
    """Oldest first, so that numbers shown to the person stay stable as they add more."""
    result = await session.scalars(_LIST, {"user_id": user_id})
    return result.all()


async def add(
    session: AsyncSession,
    user_id: int,
    text: str,
    now: datetime,
    *,
    kind: str | None = None,
    source: str | None = "self",
) -> int:
    """Store one strength (``now`` aware UTC); returns its id. One prebuilt Core
    statement (issue 17)."""
    new_id = await session.scalar(
        _ADD,
        {"user_id": user_id, "text": text, "kind": kind, "source": source, "created_at": now},
    )
    return int(new_id)


async def texts(session: AsyncSession, user_id: int) -> list[str]:
    """The texts of the person's strengths, in no particular order (for "already on the
    list?" checks, without loading whole rows)."""
    return list((await session.scalars(_TEXTS, {"user_id": user_id})).all())


async def remove_number(session: AsyncSession, user_id: int, number: int) -> Strength | None:
    """Remove the strength shown as ``number`` (1-based) in ``list_for``; None if no such one."""
    items = await list_for(session, user_id)
    if not 1 <= number <= len(items):
        return None
    strength = items[number - 1]
    await session.delete(strength)
    await session.flush()
    return strength


async def count(session: AsyncSession, user_id: int) -> int:
    total = await session.scalar(_COUNT, {"user_id": user_id})
    return int(total or 0)


async def remove_id(session: AsyncSession, user_id: int, strength_id: int) -> Strength | None:
    """Remove one of the person's strengths by its id; None if it is not theirs or gone."""
    strength = await session.get(Strength, strength_id)
    if strength is None or strength.user_id != user_id:
        return None
    await session.delete(strength)
    await session.flush()
    return strength


async def page(session: AsyncSession, user_id: int, offset: int, limit: int) -> Sequence[Strength]:
    """``limit`` strengths from position ``offset`` (0-based) of ``list_for``'s order."""
    result = await session.scalars(_PAGE, {"user_id": user_id, "offset": offset, "limit": limit})
    return result.all()
