"""Feedback requests a person drafted or sent, and whether they heard back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FeedbackRequest

REMIND_AFTER = timedelta(days=7)
STATUSES = ("drafted", "sent", "answered", "vague", "dropped")


async def add(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    *,
    rejection_id: int | None = None,
    company: str | None = None,
    role: str | None = None,
    interviewer: str | None = None,
    remind: bool = False,
    status: str = "drafted",
) -> FeedbackRequest:
    request = FeedbackRequest(
        user_id=user_id,
        rejection_id=rejection_id,
        company=company,
        role=role,
        interviewer=interviewer,
        remind=remind,
        status=status,
        created_at=now,
    )
    session.add(request)
    await session.flush()
    return request


async def get(session: AsyncSession, user_id: int, request_id: int) -> FeedbackRequest | None:
    found = await session.get(FeedbackRequest, request_id)
    return found if found is not None and found.user_id == user_id else None


async def waiting(session: AsyncSession, user_id: int) -> Sequence[FeedbackRequest]:
    """Requests sent and not yet answered, oldest first."""
    result = await session.scalars(
        select(FeedbackRequest)
        .where(FeedbackRequest.user_id == user_id, FeedbackRequest.status == "sent")
        .order_by(FeedbackRequest.created_at, FeedbackRequest.id)
    )
    return result.all()


async def pending_feedback(
    session: AsyncSession, user_id: int, now: datetime
) -> list[FeedbackRequest]:
    """Sent requests with a reminder asked for and no answer after 7 days, oldest first.

    The scheduler's check-in asks about these.
    """
    result = await session.scalars(
        select(FeedbackRequest)
        .where(
            FeedbackRequest.user_id == user_id,
            FeedbackRequest.status == "sent",
            FeedbackRequest.remind.is_(True),
            FeedbackRequest.created_at <= now - REMIND_AFTER,
        )
        .order_by(FeedbackRequest.created_at, FeedbackRequest.id)
    )
    return list(result.all())


def set_status(request: FeedbackRequest, status: str, now: datetime) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown feedback status {status!r}")
    request.status = status
    if status in ("answered", "vague"):
        request.answered_at = now


async def since(session: AsyncSession, user_id: int, start: datetime) -> Sequence[FeedbackRequest]:
    result = await session.scalars(
        select(FeedbackRequest).where(
            FeedbackRequest.user_id == user_id, FeedbackRequest.created_at >= start
        )
    )
    return result.all()
