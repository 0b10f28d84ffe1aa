"""Applications a person logged, and where each one stands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application

STATUSES = ("applied", "interview", "offer", "rejected", "withdrawn", "ghosted")
OPEN = ("applied", "interview")


async def add(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    applied_on: date,
    *,
    company: str | None = None,
    role: str | None = None,
) -> Application:
    application = Application(
        user_id=user_id,
        company=company,
        role=role,
        applied_on=applied_on,
        status="applied",
        status_changed_at=now,
        created_at=now,
    )
    session.add(application)
    await session.flush()
    return application


async def list_for(session: AsyncSession, user_id: int) -> Sequence[Application]:
    """Oldest first."""
    result = await session.scalars(
        select(Application)
        .where(Application.user_id == user_id)
        .order_by(Application.applied_on, Application.id)
    )
    return result.all()


async def open_ones(session: AsyncSession, user_id: int, limit: int = 8) -> Sequence[Application]:
    """Applications still waiting for news (applied or interviewing), newest first."""
    result = await session.scalars(
        select(Application)
        .where(Application.user_id == user_id, Application.status.in_(OPEN))
        .order_by(Application.applied_on.desc(), Application.id.desc())
        .limit(limit)
    )
    return result.all()


async def get(session: AsyncSession, user_id: int, application_id: int) -> Application | None:
    found = await session.get(Application, application_id)
    return found if found is not None and found.user_id == user_id else None


def set_status(application: Application, status: str, now: datetime) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown application status {status!r}")
    application.status = status
    application.status_changed_at = now


async def count(session: AsyncSession, user_id: int) -> int:
    """How many the person has (limits in core/limits.py)."""
    total = await session.scalar(
        select(func.count()).select_from(Application).where(Application.user_id == user_id)
    )
    return int(total or 0)
