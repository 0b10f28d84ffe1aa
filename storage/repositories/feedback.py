"""Feedback requests a person drafted or sent, and whether they heard back.

A request with a reminder is ``sent``; the first check-in after 7 days mentions it once
(``take_reminders`` marks it ``reminded``); both count as waiting for an answer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FeedbackRequest

REMIND_AFTER = timedelta(days=7)
STATUSES = ("drafted", "sent", "reminded", "answered", "vague", "dropped")
WAITING = ("sent", "reminded")
"""Sent and not answered yet (``reminded``: the check-in has mentioned it once)."""


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
        .where(FeedbackRequest.user_id == user_id, FeedbackRequest.status.in_(WAITING))
        .order_by(FeedbackRequest.created_at, FeedbackRequest.id)
    )
    return result.all()


async def take_reminders(
    session: AsyncSession, user_ids: Collection[int], asked_before: datetime, since: datetime
) -> dict[int, str]:
    """Per person, the company of one feedback request due a reminder (a reminder asked
    for, sent between ``since`` and ``asked_before``, not answered and not mentioned
    yet; the newest such), marked ``reminded`` so that it is mentioned only once.

    The company is ``""`` when the request named none. The check-in that mentions it
    must be composed in the same transaction (the scheduler's check-in pass).
    """
    if not user_ids:
        return {}
    result = await session.execute(
        select(FeedbackRequest.id, FeedbackRequest.user_id, FeedbackRequest.company)
        .where(
            FeedbackRequest.user_id.in_(list(user_ids)),
            FeedbackRequest.status == "sent",
            FeedbackRequest.remind.is_(True),
            FeedbackRequest.answered_at.is_(None),
            FeedbackRequest.created_at < asked_before,
            FeedbackRequest.created_at >= since,
        )
        .order_by(FeedbackRequest.created_at, FeedbackRequest.id)
    )
    chosen: dict[int, tuple[int, str]] = {}
    for request_id, user_id, company in result.all():
        chosen[user_id] = (request_id, company or "")  # the newest wins
    if chosen:
        await session.execute(
            update(FeedbackRequest)
            .where(FeedbackRequest.id.in_([request_id for request_id, _ in chosen.values()]))
            .values(status="reminded")
        )
    return {user_id: company for user_id, (_, company) in chosen.items()}


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
