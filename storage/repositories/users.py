"""People, and their conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState, User


async def get_or_create(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> tuple[User, bool]:
    """The person with this platform id, created on first contact. Returns (user, created)."""
    user = await find(session, platform, external_id)
    if user is not None:
        return user, False
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
    return user, True


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


async def load_state(session: AsyncSession, user_id: int) -> ConversationState | None:
    return await session.get(ConversationState, user_id)


async def save_state(
    session: AsyncSession,
    user_id: int,
    *,
    dialog: str,
    step: str,
    nonce: str,
    data: dict[str, Any],
    now: datetime,
) -> None:
    state = await session.get(ConversationState, user_id)
    if state is None:
        session.add(
            ConversationState(
                user_id=user_id, dialog=dialog, step=step, nonce=nonce, data=data, updated_at=now
            )
        )
        return
    state.dialog, state.step, state.nonce, state.updated_at = dialog, step, nonce, now
    state.data = dict(data)


async def clear_state(session: AsyncSession, user_id: int) -> None:
    state = await session.get(ConversationState, user_id)
    if state is not None:
        await session.delete(state)
        await session.flush()
    else:
        await session.execute(delete(ConversationState).where(ConversationState.user_id == user_id))
