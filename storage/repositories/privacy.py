"""Everything held about one person, found from the schema: for /export and /delete.

A table belongs to a person when it has a foreign key to ``users`` (their rows are
those pointing at them), or, failing that, a foreign key to a table that belongs to
a person (their rows are those pointing at one of the person's rows). The ``users``
row itself is included. Nothing here lists tables by name, so a new table with a
``user_id`` is exported and deleted without anyone remembering to add it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, delete, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, MoodEntry

USERS = "users"


def owned_tables(metadata: MetaData = Base.metadata) -> list[Table]:
    """Every table holding a person's rows, ``users`` first, parents before children."""
    owned: set[str] = {USERS}
    changed = True
    while changed:
        changed = False
        for table in metadata.tables.values():
            if table.name not in owned and any(
                fk.column.table.name in owned for fk in table.foreign_keys
            ):
                owned.add(table.name)
                changed = True
    return [t for t in metadata.sorted_tables if t.name in owned]


def _rows_of(table: Table, user_id: int, seen: frozenset[str]) -> ColumnElement[bool]:
    """A condition selecting the rows of ``table`` that belong to the person."""
    if table.name == USERS:
        if "linked_to" in table.c:  # the person's accounts on other platforms (/link)
            return or_(table.c.id == user_id, table.c.linked_to == user_id)
        return table.c.id == user_id
    direct = [fk for fk in table.foreign_keys if fk.column.table.name == USERS]
    if direct:
        return or_(*(fk.parent == user_id for fk in direct))
    via = []
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent.name in seen or parent.name == table.name:
            continue
        inner = _rows_of(parent, user_id, seen | {table.name})
        via.append(fk.parent.in_(select(fk.column).where(inner)))
    return or_(*via) if via else false()


def _plain(value: Any) -> Any:
    """A column value as JSON can hold it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


async def export(
    session: AsyncSession, user_id: int, metadata: MetaData = Base.metadata
) -> dict[str, list[dict[str, Any]]]:
    """Table name -> the person's rows (column -> JSON-ready value), for every table
    that can hold their rows, empty lists included."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in owned_tables(metadata):
        condition = _rows_of(table, user_id, frozenset())
        order = list(table.primary_key.columns) or list(table.columns)[:1]
        result = await session.execute(select(table).where(condition).order_by(*order))
        found[table.name] = [
            {key: _plain(value) for key, value in row.items()} for row in result.mappings()
        ]
    return found


async def delete_everything(
    session: AsyncSession, user_id: int, metadata: MetaData = Base.metadata
) -> dict[str, int]:
    """Delete every row of the person in every table, children first, the ``users`` row
    last. Returns table name -> rows deleted. Objects already loaded in ``session`` are
    detached, since their rows are gone."""
    await session.flush()
    counts: dict[str, int] = {}
    for table in reversed(owned_tables(metadata)):
        condition = _rows_of(table, user_id, frozenset())
        result = await session.execute(delete(table).where(condition))
        counts[table.name] = max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    session.expunge_all()
    return counts


async def count_mood_notes(session: AsyncSession, user_id: int) -> int:
    """How many mood entries still carry a note."""
    return (
        await session.scalar(
            select(func.count())
            .select_from(MoodEntry)
            .where(MoodEntry.user_id == user_id, MoodEntry.note.is_not(None))
        )
        or 0
    )


async def drop_mood_notes(session: AsyncSession, user_id: int) -> int:
    """Erase the notes of a person's mood entries, keeping the 1-5 scores. Returns how many."""
    result = await session.execute(
        update(MoodEntry)
        .where(MoodEntry.user_id == user_id, MoodEntry.note.is_not(None))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    return max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
