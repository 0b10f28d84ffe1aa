"""A person's saved strengths."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Strength

# Built once: listing and counting run for the most frequent messages (issue 17).
_LIST = select(Strength).where(Strength.user_id == bindparam("user_id")).order_by(Strength.id)
_COUNT = select(func.count()).select_from(Strength).where(Strength.user_id == bindparam("user_id"))


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
) -> Strength:
    strength = Strength(user_id=user_id, text=text, kind=kind, source=source, created_at=now)
    session.add(strength)
    await session.flush()
    return strength


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
    result = await session.scalars(
        select(Strength)
        .where(Strength.user_id == user_id)
        .order_by(Strength.id)
        .offset(offset)
        .limit(limit)
    )
    return result.all()
