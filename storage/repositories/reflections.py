"""A person's own answers to reframing and reflection prompts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reflection


async def add(
    session: AsyncSession,
    user_id: int,
    prompt_id: str,
    text: str,
    now: datetime,
    *,
    rejection_id: int | None = None,
) -> Reflection:
    reflection = Reflection(
        user_id=user_id,
        rejection_id=rejection_id,
        prompt_id=prompt_id,
        text=text,
        created_at=now,
    )
    session.add(reflection)
    await session.flush()
    return reflection


async def for_rejection(
    session: AsyncSession, user_id: int, rejection_id: int
) -> Sequence[Reflection]:
    result = await session.scalars(
        select(Reflection)
        .where(Reflection.user_id == user_id, Reflection.rejection_id == rejection_id)
        .order_by(Reflection.id)
    )
    return result.all()


async def since(session: AsyncSession, user_id: int, start: datetime) -> Sequence[Reflection]:
    result = await session.scalars(
        select(Reflection).where(Reflection.user_id == user_id, Reflection.created_at >= start)
    )
    return result.all()
