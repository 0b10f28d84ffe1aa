"""Companies a person would be confident applying to, each with a fit checklist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Target


async def add(session: AsyncSession, user_id: int, company: str, now: datetime) -> Target:
    target = Target(user_id=user_id, company=company, checklist={}, created_at=now)
    session.add(target)
    await session.flush()
    return target


async def list_for(session: AsyncSession, user_id: int) -> Sequence[Target]:
    result = await session.scalars(
        select(Target).where(Target.user_id == user_id).order_by(Target.id)
    )
    return result.all()


async def find(session: AsyncSession, user_id: int, company: str) -> Target | None:
    """The target with this company name, ignoring case."""
    for target in await list_for(session, user_id):
        if target.company.casefold() == company.casefold():
            return target
    return None


async def get(session: AsyncSession, user_id: int, target_id: int) -> Target | None:
    found = await session.get(Target, target_id)
    return found if found is not None and found.user_id == user_id else None


def toggle(target: Target, item_id: str) -> bool:
    """Tick or untick one checklist item; returns the new state."""
    ticked = not bool((target.checklist or {}).get(item_id))
    target.checklist = {**(target.checklist or {}), item_id: ticked}
    return ticked


async def since(session: AsyncSession, user_id: int, start: datetime) -> Sequence[Target]:
    result = await session.scalars(
        select(Target).where(Target.user_id == user_id, Target.created_at >= start)
    )
    return result.all()


async def count(session: AsyncSession, user_id: int) -> int:
    """How many the person has (limits in core/limits.py)."""
    total = await session.scalar(
        select(func.count()).select_from(Target).where(Target.user_id == user_id)
    )
    return int(total or 0)
