"""People, and their conversation state."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from storage.models import ConversationState, User


@dataclass(eq=False)
class Person:
    """A person's row of ``users`` as a plain object (issue 17: the ORM's load and unit
    of work cost more than the statements on the path every message takes).

    The engine reads it with the dialog state in one query (``get_or_create``); a step
    changes it like any object (``ctx.user.timezone = zone``), and ``store_person``
    writes the changed columns, only those, with one UPDATE at the end of the message.
    Code that needs the ORM object (``/link`` moving rows between people) asks
    ``as_orm`` and, after changing it, ``reload``. The fields are the table's columns
    (a test checks that they agree)."""

    id: int
    platform: str
    external_id: str
    name: str | None
    timezone: str
    country: str | None
    mood_consent: bool | None
    onboarded: bool
    weekly_goal: int | None
    created_at: datetime
    last_seen_at: datetime
    unreachable_at: datetime | None
    crisis_at: datetime | None
    paused_until: datetime | None
    strengths_offered_on: date | None
    linked_to: int | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_changed", {})

    def __setattr__(self, name: str, value: Any) -> None:
        changed = self.__dict__.get("_changed")
        if changed is not None:  # set after __init__: a change to write
            changed[name] = value
        object.__setattr__(self, name, value)

    def changes(self) -> dict[str, Any]:
        """Column -> new value, for every field set since it was read or stored."""
        return dict(self.__dict__["_changed"])

    def stored(self) -> None:
        """Forget the changes: they are in the database now."""
        self.__dict__["_changed"].clear()


PERSON_FIELDS = tuple(f.name for f in fields(Person))


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

_USERS = cast(Table, User.__table__)
_PERSON_COLUMNS = tuple(_USERS.c[name] for name in PERSON_FIELDS)

# Built once: this runs for every message, and building a statement costs more than
# running it on SQLite. The state's columns are labelled apart from the person's.
_PERSON_AND_STATE = (
    select(*_PERSON_COLUMNS, *(c.label(f"state_{c.name}") for c in _STATE_COLUMNS))
    .select_from(_USERS.outerjoin(_STATE, _STATE.c.user_id == _USERS.c.id))
    .with_for_update(of=_USERS, key_share=True)
)
_BY_PLATFORM_ID = _PERSON_AND_STATE.where(
    _USERS.c.platform == bindparam("platform"), _USERS.c.external_id == bindparam("external_id")
)
_BY_ID = _PERSON_AND_STATE.where(_USERS.c.id == bindparam("record_id"))


def _person_of(row: Any) -> Person:
    mapping = row._mapping
    return Person(*(mapping[name] for name in PERSON_FIELDS))


def _state_of(row: Any) -> DialogState | None:
    if row.state_user_id is None:
        return None
    return DialogState(
        user_id=row.state_user_id,
        dialog=row.state_dialog,
        step=row.state_step,
        nonce=row.state_nonce,
        data=dict(row.state_data or {}),
        updated_at=row.state_updated_at,
    )


async def get_or_create(
    session: AsyncSession, platform: str, external_id: str, now: datetime
) -> tuple[Person, DialogState | None, bool]:
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
    row = (await session.execute(_BY_PLATFORM_ID, keys)).first()
    if row is not None:
        person = _person_of(row)
        if person.linked_to is not None:
            return *await _linked_record(session, person, _state_of(row)), False
        return person, _state_of(row), False
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
    row = (await session.execute(_BY_PLATFORM_ID, keys)).first()
    if row is None:  # pragma: no cover - the row was inserted or already there
        raise LookupError(f"{platform} user vanished while being created")
    return _person_of(row), _state_of(row), inserted is not None


async def _linked_record(
    session: AsyncSession, account: Person, state: DialogState | None
) -> tuple[Person, DialogState | None]:
    """A linked account (``/link``) shows the record it is linked to, with that record's
    dialog state: one person, one record, whichever platform they write on."""
    row = (await session.execute(_BY_ID, {"record_id": account.linked_to})).first()
    if row is None:  # pragma: no cover - the foreign key deletes the account with its record
        return account, state
    return _person_of(row), _state_of(row)


async def store_person(session: AsyncSession, person: Person) -> None:
    """Write the columns of ``person`` changed since it was read (one UPDATE; nothing
    when none changed). A person deleted meanwhile is simply not there to update."""
    changed = person.changes()
    if not changed:
        return
    await session.execute(update(_USERS).where(_USERS.c.id == person.id).values(changed))
    person.stored()


async def as_orm(session: AsyncSession, person: Person) -> User:
    """The ORM object of ``person``'s row, for code that changes people through the ORM
    (``links.merge``, ``swap_identity``): ``person``'s own changes are written first, so
    the object starts from them. Raises LookupError if the row is gone."""
    await store_person(session, person)
    user = await session.get(User, person.id, populate_existing=True)
    if user is None:
        raise LookupError("person vanished")
    return user


async def reload(session: AsyncSession, person_id: int) -> Person:
    """The person with this id as stored now (pending ORM changes written first).
    Raises LookupError if the row is gone."""
    await session.flush()
    row = (await session.execute(_BY_ID, {"record_id": person_id})).first()
    if row is None:
        raise LookupError("person vanished")
    return _person_of(row)


async def delete_person(session: AsyncSession, person_id: int) -> None:
    """Delete the person's row; the database deletes what points at it (ON DELETE
    CASCADE on every owned table)."""
    await session.execute(delete(_USERS).where(_USERS.c.id == person_id))


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
