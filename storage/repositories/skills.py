"""The skills plan: gaps a person wants to work on, with optional target dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SkillItem


async def add(
    session: AsyncSession,
    user_id: int,
    text: str,
    now: datetime,
    *,
    area: str | None = None,
    rejection_id: int | None = None,
    target_date: date | None = None,
) -> SkillItem:
    item = SkillItem(
        user_id=user_id,
        text=text,
        area=area,
        rejection_id=rejection_id,
        target_date=target_date,
        created_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def list_for(session: AsyncSession, user_id: int) -> Sequence[SkillItem]:
    """Oldest first, so the numbers shown stay stable as items are added."""
    result = await session.scalars(
        select(SkillItem).where(SkillItem.user_id == user_id).order_by(SkillItem.id)
    )
    return result.all()


async def by_number(session: AsyncSession, user_id: int, number: int) -> SkillItem | None:
    """The item shown as ``number`` (1-based) in ``list_for``."""
    if number < 1:
        return None
    items = await list_for(session, user_id)
    return items[number - 1] if number <= len(items) else None


async def get(session: AsyncSession, user_id: int, item_id: int) -> SkillItem | None:
    found = await session.get(SkillItem, item_id)
    return found if found is not None and found.user_id == user_id else None


async def done_since(session: AsyncSession, user_id: int, start: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(SkillItem)
            .where(SkillItem.user_id == user_id, SkillItem.done_at >= start)
        )
        or 0
    )


async def count(session: AsyncSession, user_id: int) -> int:
    """How many the person has (limits in core/limits.py)."""
    total = await session.scalar(
        select(func.count()).select_from(SkillItem).where(SkillItem.user_id == user_id)
    )
    return int(total or 0)
