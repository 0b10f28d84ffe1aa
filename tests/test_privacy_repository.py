"""/export and /delete find a person's rows from the schema: every table, even new ones.

Rows are seeded generically, one per table for each of two people, from the column
types alone, so a table added to storage/models.py is covered by these tests too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
)

from storage.database import Database
from storage.models import Base, UTCDateTime
from storage.repositories.privacy import delete_everything, export, owned_tables

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _value(column: Column[Any], who: str) -> Any:
    kind = column.type
    if isinstance(kind, UTCDateTime | DateTime):
        return NOW
    if isinstance(kind, Date):
        return date(2026, 3, 2)
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, JSON):
        return {"owner": who}
    if isinstance(kind, String | Text):
        text = f"{who}-{column.name}"
        length = getattr(kind, "length", None)
        return text[:length] if length else text
    raise AssertionError(f"no test value for {column.table.name}.{column.name}: {kind!r}")


async def seed(db: Database, who: str, metadata: MetaData = Base.metadata) -> dict[str, Any]:
    """One row for ``who`` in every table that can hold a person's rows; returns the
    primary key of each row by table name."""
    keys: dict[str, Any] = {}
    async with db.write() as session:
        for table in owned_tables(metadata):
            values: dict[str, Any] = {}
            for column in table.columns:
                fks = list(column.foreign_keys)
                if fks and fks[0].column.table is table:  # users.linked_to: a row of its own
                    values[column.name] = None
                elif fks:
                    values[column.name] = keys[fks[0].column.table.name]
                elif column.primary_key and isinstance(column.type, Integer):
                    continue
                else:
                    values[column.name] = _value(column, who)
            if table.name == "users":
                values.update(platform="terminal", external_id=who)
            result = await session.execute(insert(table).values(values))
            keys[table.name] = result.inserted_primary_key[0]
    return keys


async def count_rows(db: Database, metadata: MetaData = Base.metadata) -> dict[str, int]:
    async with db.read() as session:
        return {
            t.name: await session.scalar(select(func.count()).select_from(t)) or 0
            for t in metadata.sorted_tables
        }


def test_every_table_with_a_user_id_is_owned():
    owned = {t.name for t in owned_tables()}
    for table in Base.metadata.sorted_tables:
        if "user_id" in table.columns:
            assert table.name in owned
    assert owned_tables()[0].name == "users"
    assert {"strengths", "mood_entries", "deliveries", "schedules", "crisis_events"} <= owned


async def test_export_covers_every_table_and_only_that_person(db: Database):
    alice = await seed(db, "alice")
    await seed(db, "bob")
    async with db.read() as session:
        exported = await export(session, alice["users"])
    assert set(exported) == {t.name for t in owned_tables()}
    for name, rows in exported.items():
        assert len(rows) == 1, name
        assert "bob" not in repr(rows), name
    assert exported["users"][0]["external_id"] == "alice"
    assert exported["strengths"][0]["created_at"] == NOW.isoformat()


async def test_delete_leaves_nothing_of_that_person_and_all_of_the_other(db: Database):
    alice = await seed(db, "alice")
    await seed(db, "bob")
    before = await count_rows(db)
    async with db.write() as session:
        deleted = await delete_everything(session, alice["users"])
    after = await count_rows(db)
    for table in owned_tables():
        assert deleted[table.name] == 1, table.name
        assert after[table.name] == before[table.name] - 1 == 1, table.name
    async with db.read() as session:
        assert all(not rows for rows in (await export(session, alice["users"])).values())
        bob = await session.scalar(select(Base.metadata.tables["users"].c.id))
        remaining = await export(session, bob)
    assert all(len(rows) == 1 for rows in remaining.values())


async def test_a_new_table_and_its_children_are_covered_without_naming_them(db: Database):
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table(
        "future_notes",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE")),
        Column("body", Text),
    )
    Table(
        "future_note_tags",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("note_id", ForeignKey("future_notes.id")),
        Column("tag", String(20)),
    )
    extra = [metadata.tables["future_notes"], metadata.tables["future_note_tags"]]
    async with db.engine.begin() as connection:
        await connection.run_sync(lambda sync: metadata.create_all(sync, tables=extra))
    alice = await seed(db, "alice", metadata)
    await seed(db, "bob", metadata)
    async with db.read() as session:
        exported = await export(session, alice["users"], metadata)
    assert exported["future_notes"] == [
        {"id": alice["future_notes"], "user_id": alice["users"], "body": "alice-body"}
    ]
    assert [row["tag"] for row in exported["future_note_tags"]] == ["alice-tag"]
    async with db.write() as session:
        await delete_everything(session, alice["users"], metadata)
    counts = await count_rows(db, metadata)
    assert counts["future_notes"] == counts["future_note_tags"] == counts["users"] == 1
