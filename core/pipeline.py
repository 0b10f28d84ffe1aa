"""One record per application: its interviews, its rejection or offer, its silence.

A rejection reported for a company with an open application closes that application
(``Rejection.application_id`` names it); an offer or an interview moves it on. An
application with no news for ``GHOST_AFTER`` reads "no answer yet", and the next
check-in asks once whether to close it as ghosted (a status of its own, with its own
rate in /progress). Pure rules here plus small queries over the person's applications.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.words import fold
from storage.models import Application, Rejection
from storage.repositories import applications

GHOST_AFTER = timedelta(days=30)
"""Silence after which an open application reads "no answer yet" (30 days: most
employers who answer at all do so within a month)."""
MARKED_RECENTLY = timedelta(minutes=10)
"""An application marked "a no" from /progress this recently is the one the debrief
that follows is about."""


def last_news(application: Application, zone: ZoneInfo) -> date:
    """The local day of the application's latest news: applied, or its last status change."""
    changed = application.status_changed_at.astimezone(zone).date()
    return max(application.applied_on, changed)


def is_silent(application: Application, today: date, zone: ZoneInfo) -> bool:
    """Open (applied or interviewing) with no news for ``GHOST_AFTER`` or longer."""
    if application.status not in applications.OPEN:
        return False
    return today - last_news(application, zone) >= GHOST_AFTER


def rejection_day(rejection: Rejection, zone: ZoneInfo) -> date:
    """The local day a rejection came: the day the person named, else the day reported."""
    return rejection.happened_on or rejection.created_at.astimezone(zone).date()


def rejection_at(rejection: Rejection, zone: ZoneInfo) -> datetime:
    """When to draw a rejection: when it was reported, or noon of the day named."""
    if rejection.happened_on is None:
        return rejection.created_at
    return datetime.combine(rejection.happened_on, time(12), tzinfo=zone)


def same_name(a: str | None, b: str | None) -> bool:
    """Company or role names equal after folding case, accents and spaces."""
    return a is not None and b is not None and fold(a) == fold(b)


async def matching(
    session: AsyncSession, user_id: int, company: str | None, role: str | None
) -> list[Application]:
    """Open applications a piece of news about ``company`` (and ``role``) may be about,
    newest first: same company; when both name a role, the same role."""
    if company is None:
        return []
    waiting = await applications.open_ones(session, user_id, limit=50)
    found = [a for a in waiting if same_name(a.company, company)]
    if role is not None:
        same_role = [a for a in found if a.role is None or same_name(a.role, role)]
        found = same_role or found
    return found


async def marked_rejected(session: AsyncSession, user_id: int, now: datetime) -> Application | None:
    """The application marked "a no" from /progress in the last minutes whose rejection
    is not recorded yet (the debrief that follows links to it)."""
    result = await session.scalars(
        select(Application)
        .where(
            Application.user_id == user_id,
            Application.status == "rejected",
            Application.status_changed_at >= now - MARKED_RECENTLY,
        )
        .order_by(Application.status_changed_at.desc())
    )
    for application in result.all():
        linked = await session.scalar(
            select(Rejection.id).where(Rejection.application_id == application.id).limit(1)
        )
        if linked is None:
            return application
    return None


def close_with(rejection: Rejection, application: Application, now: datetime) -> None:
    """Link the rejection to its application and mark the application rejected; fill
    in the company and role either one is missing."""
    rejection.application_id = application.id
    if application.status != "rejected":
        applications.set_status(application, "rejected", now)
    rejection.company = rejection.company or application.company
    rejection.role = rejection.role or application.role
    application.role = application.role or rejection.role


async def reopen_for(session: AsyncSession, rejection: Rejection, now: datetime) -> None:
    """A rejection that closed an application is being deleted: the application is
    waiting again."""
    if rejection.application_id is None:
        return
    application = await applications.get(session, rejection.user_id, rejection.application_id)
    if application is not None and application.status == "rejected":
        applications.set_status(application, "applied", now)


async def silent_unasked(
    session: AsyncSession, user_id: int, today: date, zone: ZoneInfo
) -> Sequence[Application]:
    """Silent applications the person was never asked to close as ghosted, oldest first."""
    waiting = await applications.open_ones(session, user_id, limit=200)
    found = [a for a in waiting if a.ghost_asked_at is None and is_silent(a, today, zone)]
    return sorted(found, key=lambda a: (a.applied_on, a.id))
