"""People, and their conversation state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from storage.models import ConversationState, User


@dataclass(eq=False)
class DialogState:
    """Where a person is in a guided dialog: a plain row of ``conversation_states``.

    Not an ORM object: the engine reads it with the person in one query and writes it
    back at the end of the message with one statement (``store_state``), only when it
    changed (issue 17: the ORM's unit of work cost more than the statements)."""

    user_id: int
    dialog: str
    step: str
    nonce: str
    data: dict[str, Any]
    updated_at: datetime

    def snapshot(self) -> tuple[Any, ...]:
        """What ``store_state`` compares to tell whether the state changed."""
        return (
            self.user_id,
            self.dialog,
            self.step,
            self.nonce,
            self.updated_at,
            json.dumps(self.data, sort_keys=True, default=str),
        )


_STATE = cast(Table, ConversationState.__table__)
_STATE_COLUMNS = (
    _STATE.c.user_id,
    _STATE.c.dialog,
    _STATE.c.step,
    _STATE.c.nonce,
    _STATE.c.data,
    _STATE.c.updated_at,
)

# Built once: this runs for every message, and building a statement costs more than
# running it on SQLite.
_USER_AND_STATE = (
    select(User, *_STATE_COLUMNS)
    .outerjoin(_STATE, _STATE.c.user_id == User.id)
    .where(User.platform == bindparam("platform"), User.external_id == bindparam("external_id"))
    .with_for_update(of=User, key_share=True)
)


def _state_of(row: Any) -> DialogState | None:
    if row.user_id is None:
        return None
    return DialogState(
        user_id=row.user_id,
        dialog=row.dialog,
        step=row.step,
        nonce=row.nonce,
        data=dict(row.data or {}),
        updated_at=row.updated_at,
    )


async def get_or_create(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> tuple[User, DialogState | None, bool]:
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
            return *await _linked_record(session, row[0], _state_of(row)), False
        return row[0], _state_of(row), False
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
    return row[0], _state_of(row), inserted is not None


_RECORD_AND_STATE = (
    select(User, *_STATE_COLUMNS)
    .outerjoin(_STATE, _STATE.c.user_id == User.id)
    .where(User.id == bindparam("record_id"))
    .with_for_update(of=User, key_share=True)
)


async def _linked_record(
    session: AsyncSession, account: User, state: DialogState | None
) -> tuple[User, DialogState | None]:
    """A linked account (``/link``) shows the record it is linked to, with that record's
    dialog state: one person, one record, whichever platform they write on."""
    row = (await session.execute(_RECORD_AND_STATE, {"record_id": account.linked_to})).first()
    if row is None:  # pragma: no cover - the foreign key deletes the account with its record
        return account, state
    return row[0], _state_of(row)


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


def save_state(
    state: DialogState | None,
    user_id: int,
    *,
    dialog: str,
    step: str,
    nonce: str,
    data: dict[str, Any],
    now: datetime,
) -> DialogState:
    """Where the person is in a dialog now (``now`` aware UTC): ``state`` updated, or a
    new one. Nothing is written until ``store_state`` at the end of the message."""
    if state is None or state.user_id != user_id:
        return DialogState(user_id, dialog, step, nonce, dict(data), now)
    state.dialog, state.step, state.nonce, state.updated_at = dialog, step, nonce, now
    state.data = dict(data)
    return state


def _upsert_state(insert_fn: Any) -> Executable:
    statement = insert_fn(_STATE).values(
        user_id=bindparam("user_id"),
        dialog=bindparam("dialog"),
        step=bindparam("step"),
        nonce=bindparam("nonce"),
        data=bindparam("data", type_=_STATE.c.data.type),
        updated_at=bindparam("updated_at"),
    )
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[_STATE.c.user_id],
        set_={
            name: statement.excluded[name]
            for name in ("dialog", "step", "nonce", "data", "updated_at")
        },
    )
    return upsert


_STORE_STATE: dict[str, Executable] = {
    "sqlite": _upsert_state(sqlite.insert),
    "postgresql": _upsert_state(postgresql.insert),
}
_DELETE_STATE = delete(_STATE).where(_STATE.c.user_id == bindparam("user_id"))


async def store_state(
    session: AsyncSession, loaded: tuple[Any, ...] | None, state: DialogState | None
) -> None:
    """Write the dialog state back at the end of a message: one upsert when ``state``
    differs from ``loaded`` (its ``snapshot()`` when read, None when there was none),
    one delete when the dialog ended, nothing when it is unchanged."""
    if state is None:
        if loaded is not None:
            await session.execute(_DELETE_STATE, {"user_id": loaded[0]})
        return
    if loaded is not None and loaded[0] != state.user_id:
        await session.execute(_DELETE_STATE, {"user_id": loaded[0]})
    elif loaded is not None and state.snapshot() == loaded:
        return
    statement = _STORE_STATE[session.get_bind().dialect.name]
    await session.execute(
        statement,
        {
            "user_id": state.user_id,
            "dialog": state.dialog,
            "step": state.step,
            "nonce": state.nonce,
            "data": state.data,
            "updated_at": state.updated_at,
        },
    )


async def delete_state(session: AsyncSession, user_id: int) -> None:
    """Delete the person's stored dialog state now (one statement)."""
    await session.execute(_DELETE_STATE, {"user_id": user_id})


async def forget_states(session: AsyncSession, before: datetime) -> int:
    """Delete every dialog state last updated before ``before`` (aware UTC); returns the
    number deleted. One statement, whatever the number of people."""
    result = await session.execute(
        delete(ConversationState).where(ConversationState.updated_at < before)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
