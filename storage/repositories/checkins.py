"""Answers to "keep applying" check-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CheckinAnswer


async def record(
    session: AsyncSession, user_id: int, question: str, answer: str, now: datetime
) -> None:
    session.add(CheckinAnswer(user_id=user_id, question=question, answer=answer, created_at=now))


async def latest(session: AsyncSession, user_id: int, question: str) -> CheckinAnswer | None:
    return await session.scalar(
        select(CheckinAnswer)
        .where(CheckinAnswer.user_id == user_id, CheckinAnswer.question == question)
        .order_by(CheckinAnswer.created_at.desc(), CheckinAnswer.id.desc())
        .limit(1)
    )
