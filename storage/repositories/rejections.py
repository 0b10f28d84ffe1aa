"""Rejections a person reported, and which of the six steps they took for each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Rejection


async def add(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    *,
    company: str | None = None,
    role: str | None = None,
    stage: str | None = None,
    interviewer: str | None = None,
    feeling: int | None = None,
) -> Rejection:
    rejection = Rejection(
        user_id=user_id,
        company=company,
        role=role,
        stage=stage,
        interviewer=interviewer,
        feeling=feeling,
        steps={},
        created_at=now,
    )
    session.add(rejection)
    await session.flush()
    return rejection


async def get(session: AsyncSession, user_id: int, rejection_id: int) -> Rejection | None:
    rejection = await session.get(Rejection, rejection_id)
    return rejection if rejection is not None and rejection.user_id == user_id else None


async def latest(session: AsyncSession, user_id: int) -> Rejection | None:
    return await session.scalar(
        select(Rejection)
        .where(Rejection.user_id == user_id)
        .order_by(Rejection.created_at.desc(), Rejection.id.desc())
        .limit(1)
    )


async def list_for(session: AsyncSession, user_id: int) -> Sequence[Rejection]:
    result = await session.scalars(
        select(Rejection).where(Rejection.user_id == user_id).order_by(Rejection.created_at)
    )
    return result.all()


async def since(session: AsyncSession, user_id: int, start: datetime) -> Sequence[Rejection]:
    """Rejections reported from ``start`` on, oldest first."""
    result = await session.scalars(
        select(Rejection)
        .where(Rejection.user_id == user_id, Rejection.created_at >= start)
        .order_by(Rejection.created_at, Rejection.id)
    )
    return result.all()


async def stage_counts(session: AsyncSession, user_id: int) -> dict[str, int]:
    """How many rejections came at each known stage."""
    result = await session.execute(
        select(Rejection.stage, func.count())
        .where(Rejection.user_id == user_id, Rejection.stage.is_not(None))
        .group_by(Rejection.stage)
    )
    rows = cast(Sequence[tuple[str, int]], result.all())  # stage IS NOT NULL above
    return {stage: int(count) for stage, count in rows}


def set_step(rejection: Rejection, step: str, status: str) -> None:
    """Record ``status`` (done/later/skipped) for one of the six steps."""
    rejection.steps = {**(rejection.steps or {}), step: status}
