"""People, and their conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState, User

# Built once: this runs for every message, and building a statement costs more than
# running it on SQLite.
_USER_AND_STATE = (
    select(User, ConversationState)
    .outerjoin(ConversationState, ConversationState.user_id == User.id)
    .where(User.platform == bindparam("platform"), User.external_id == bindparam("external_id"))
    .with_for_update(of=User, key_share=True)
)


async def get_or_create(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> tuple[User, ConversationState | None, bool]:
    """The person with this platform id (created on first contact) and their dialog
    state, in one query. Returns (user, state, created).

    Safe when one person's messages reach two workers at once (a webhook behind a load
    balancer): on PostgreSQL the person's row stays locked until the transaction ends
    (``FOR NO KEY UPDATE``, which still lets the scheduler insert outbox rows that
    point at it), so their messages run one after the other, as in one process; SQLite
    ignores the lock, since ``BEGIN IMMEDIATE`` already lets one writer in at a time.
    Two first messages racing to create the person insert once (``ON CONFLICT DO
    NOTHING``); the loser then reads, and waits on, the winner's row. A linked account
    (``users.linked_to``) returns the record it is linked to.
    """
    keys = {"platform": platform, "external_id": external_id}
    row = (await session.execute(_USER_AND_STATE, keys)).first()
    if row is not None:
        if row[0].linked_to is not None:
            return *await _linked_record(session, row[0], row[1]), False
        return row[0], row[1], False
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted = await session.scalar(
        insert_fn(User)
        .values(
            platform=platform,
            external_id=external_id,
            timezone="UTC",
            onboarded=False,
            created_at=now,
            last_seen_at=now,
        )
        .on_conflict_do_nothing(index_elements=[User.platform, User.external_id])
        .returning(User.id)
    )
    row = (await session.execute(_USER_AND_STATE, keys)).first()
    if row is None:  # pragma: no cover - the row was inserted or already there
        raise LookupError(f"{platform} user vanished while being created")
    return row[0], row[1], inserted is not None


_RECORD_AND_STATE = (
    select(User, ConversationState)
    .outerjoin(ConversationState, ConversationState.user_id == User.id)
    .where(User.id == bindparam("record_id"))
    .with_for_update(of=User, key_share=True)
)


async def _linked_record(
    session: AsyncSession, account: User, state: ConversationState | None
) -> tuple[User, ConversationState | None]:
    """A linked account (``/link``) shows the record it is linked to, with that record's
    dialog state: one person, one record, whichever platform they write on."""
    row = (await session.execute(_RECORD_AND_STATE, {"record_id": account.linked_to})).first()
    if row is None:  # pragma: no cover - the foreign key deletes the account with its record
        return account, state
    return row[0], row[1]


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


async def forget_states(session: AsyncSession, before: datetime) -> int:
    """Delete every dialog state last updated before ``before`` (aware UTC); returns the
    number deleted. One statement, whatever the number of people."""
    result = await session.execute(
        delete(ConversationState).where(ConversationState.updated_at < before)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
