"""Invites to friends, what friends wrote through them, and one-time link codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contribution, Invite, LinkCode

PENDING = "pending"
KEPT = "kept"
DECLINED = "declined"


async def create(
    session: AsyncSession,
    user_id: int,
    code: str,
    now: datetime,
    *,
    max_uses: int,
    expires_at: datetime,
) -> Invite:
    """A new invite for the person; ``code`` must be unused (see ``find``)."""
    invite = Invite(
        user_id=user_id,
        code=code,
        max_uses=max_uses,
        uses=0,
        created_at=now,
        expires_at=expires_at,
        blocked=False,
    )
    session.add(invite)
    await session.flush()
    return invite


async def find(session: AsyncSession, code: str, *, lock: bool = False) -> Invite | None:
    """The invite with this code (whatever its state), or None. ``lock`` holds its row
    until the transaction ends (PostgreSQL ``FOR UPDATE``; SQLite already has one writer),
    so two friends finishing at once cannot both take the last use."""
    statement = select(Invite).where(Invite.code == code)
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def created_since(session: AsyncSession, user_id: int, since: datetime) -> int:
    """How many invites the person made at or after ``since`` (aware UTC)."""
    total = await session.scalar(
        select(func.count())
        .select_from(Invite)
        .where(Invite.user_id == user_id, Invite.created_at >= since)
    )
    return int(total or 0)


async def open_for(session: AsyncSession, user_id: int, now: datetime) -> Sequence[Invite]:
    """The person's invites a friend can still use at ``now``, oldest first."""
    result = await session.scalars(
        select(Invite)
        .where(
            Invite.user_id == user_id,
            Invite.withdrawn_at.is_(None),
            Invite.expires_at > now,
            Invite.uses < Invite.max_uses,
        )
        .order_by(Invite.id)
    )
    return result.all()


async def owned(session: AsyncSession, user_id: int, invite_id: int) -> Invite | None:
    invite = await session.get(Invite, invite_id)
    return invite if invite is not None and invite.user_id == user_id else None


async def add_contribution(
    session: AsyncSession,
    invite: Invite,
    text: str,
    now: datetime,
    *,
    note: str | None,
    signed: str | None,
) -> Contribution:
    """Store one strength a friend wrote for the invite's owner, pending their decision."""
    row = Contribution(
        user_id=invite.user_id,
        invite_id=invite.id,
        text=text,
        note=note,
        signed=signed,
        status=PENDING,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def contribution(
    session: AsyncSession, user_id: int, contribution_id: int
) -> Contribution | None:
    """One of the person's contributions by id; None when it is not theirs or gone."""
    row = await session.get(Contribution, contribution_id)
    return row if row is not None and row.user_id == user_id else None


async def contributions_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, Contribution]:
    if not ids:
        return {}
    result = await session.scalars(select(Contribution).where(Contribution.id.in_(ids)))
    return {row.id: row for row in result}


async def pending_for(session: AsyncSession, user_id: int) -> Sequence[Contribution]:
    """Contributions waiting for the person's Keep it / Not now, oldest first."""
    result = await session.scalars(
        select(Contribution)
        .where(Contribution.user_id == user_id, Contribution.status == PENDING)
        .order_by(Contribution.id)
    )
    return result.all()


async def decline_pending_of(session: AsyncSession, invite_id: int, now: datetime) -> int:
    """Decline every contribution still pending from one invite; returns how many."""
    result = await session.execute(
        update(Contribution)
        .where(Contribution.invite_id == invite_id, Contribution.status == PENDING)
        .values(status=DECLINED, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return max(result.rowcount or 0, 0)  # type: ignore[attr-defined]


async def signers(session: AsyncSession, strength_ids: Sequence[int]) -> dict[int, str | None]:
    """Strength id -> how the friend who wrote it named themselves (None: unnamed), for
    the strengths that came from a friend's contribution."""
    if not strength_ids:
        return {}
    result = await session.execute(
        select(Contribution.strength_id, Contribution.signed).where(
            Contribution.strength_id.in_(strength_ids)
        )
    )
    rows = cast(Sequence[tuple[int, str | None]], result.all())  # strength_id IN (...)
    return {strength_id: signed for strength_id, signed in rows}


# -- link codes -----------------------------------------------------------------------


async def new_link_code(
    session: AsyncSession, user_id: int, code: str, expires_at: datetime
) -> LinkCode:
    """Replace the person's link code (one at a time) with ``code``."""
    for old in await session.scalars(select(LinkCode).where(LinkCode.user_id == user_id)):
        await session.delete(old)
    await session.flush()
    row = LinkCode(user_id=user_id, code=code, expires_at=expires_at)
    session.add(row)
    await session.flush()
    return row


async def find_link_code(session: AsyncSession, code: str) -> LinkCode | None:
    """The link code row for ``code``, left in place; None if unknown."""
    return await session.scalar(select(LinkCode).where(LinkCode.code == code))


async def take_link_code(session: AsyncSession, code: str) -> LinkCode | None:
    """The link code row for ``code``, deleted as it is read (one use); None if unknown."""
    row = await session.scalar(select(LinkCode).where(LinkCode.code == code))
    if row is not None:
        await session.delete(row)
        await session.flush()
    return row
