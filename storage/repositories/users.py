"""People, and their conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState, User


async def get_or_create(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> tuple[User, ConversationState | None, bool]:
    """The person with this platform id (created on first contact) and their dialog
    state, in one query. Returns (user, state, created)."""
    row = (
        await session.execute(
            select(User, ConversationState)
            .outerjoin(ConversationState, ConversationState.user_id == User.id)
            .where(User.platform == platform, User.external_id == external_id)
        )
    ).first()
    if row is not None:
        return row[0], row[1], False
    user = User(
        platform=platform,
        external_id=external_id,
        timezone="UTC",
        onboarded=False,
        created_at=now,
        last_seen_at=now,
    )
    session.add(user)
    await session.flush()
    return user, None, True


async def find(session: AsyncSession, platform: str, external_id: str) -> User | None:
    return await session.scalar(
        select(User).where(User.platform == platform, User.external_id == external_id)
    )


async def mark_unreachable(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> None:
    await session.execute(
        update(User)
        .where(User.platform == platform, User.external_id == external_id)
        .values(unreachable_at=now)
    )


async def save_state(
    session: AsyncSession,
    state: ConversationState | None,
    user_id: int,
    *,
    dialog: str,
    step: str,
    nonce: str,
    data: dict[str, Any],
    now: datetime,
) -> ConversationState:
    """Store where the person is in a dialog; ``state`` is the row loaded with the user."""
    if state is None:
        state = ConversationState(
            user_id=user_id, dialog=dialog, step=step, nonce=nonce, data=data, updated_at=now
        )
        session.add(state)
        return state
    state.dialog, state.step, state.nonce, state.updated_at = dialog, step, nonce, now
    state.data = dict(data)
    return state


async def clear_state(session: AsyncSession, state: ConversationState | None) -> None:
    if state is not None:
        await session.delete(state)
