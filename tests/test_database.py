"""SQLite setup: WAL, BEGIN IMMEDIATE, the one-trip driver, and errors as SQLAlchemy's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from storage.database import Database
from storage.models import Strength, User

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def _add_user(db: Database, external_id: str) -> int:
    async with db.write() as session:
        user = User(platform="terminal", external_id=external_id, created_at=NOW, last_seen_at=NOW)
        session.add(user)
        await session.flush()
        return user.id


@pytest.mark.sqlite_only
async def test_wal_and_foreign_keys_are_on(db: Database):
    async with db.read() as session:
        assert (await session.execute(text("pragma journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("pragma foreign_keys"))).scalar() == 1


async def test_unique_violation_is_an_integrity_error_and_rolls_back(db: Database):
    await _add_user(db, "same")
    with pytest.raises(IntegrityError):
        await _add_user(db, "same")
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1


async def test_rowcount_lastrowid_and_executemany(db: Database):
    user_id = await _add_user(db, "many")
    async with db.write() as session:
        await session.execute(
            insert(Strength),
            [{"user_id": user_id, "text": f"s{n}", "created_at": NOW} for n in range(50)],
        )
        result = await session.execute(
            update(Strength).where(Strength.text.like("s1%")).values(kind="personal")
        )
        assert result.rowcount == 11  # s1, s10..s19
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 50


async def test_two_databases_on_one_file_write_concurrently_without_locking_errors(db_url, db):
    """Two engines on one file stand in for two processes: BEGIN IMMEDIATE waits its turn."""
    other = Database(db_url)
    user_id = await _add_user(db, "shared")

    async def add_many(database: Database, prefix: str) -> None:
        for n in range(40):
            async with database.write() as session:
                count = await session.scalar(select(func.count()).select_from(Strength))
                session.add(Strength(user_id=user_id, text=f"{prefix}{n}:{count}", created_at=NOW))

    try:
        await asyncio.gather(add_many(db, "a"), add_many(other, "b"))
    finally:
        await other.dispose()
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 80


async def test_deleting_a_user_cascades(db: Database):
    user_id = await _add_user(db, "gone")
    async with db.write() as session:
        session.add(Strength(user_id=user_id, text="x", created_at=NOW))
    async with db.write() as session:
        await session.delete(await session.get(User, user_id))
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 0


async def _add_strength(db: Database, user_id: int, words: str, *, fail: bool = False) -> None:
    async def work(session):
        session.add(Strength(user_id=user_id, text=words, created_at=NOW))
        await session.flush()
        if fail:
            raise RuntimeError("the step failed after writing")

    await db.unit(work)


async def test_a_unit_of_work_commits_or_leaves_nothing(db: Database):
    """``unit()`` (one database trip per message on SQLite) stores all of a message's
    writes, or none of them when a step fails halfway."""
    user_id = await _add_user(db, "unit")
    await _add_strength(db, user_id, "kept")
    with pytest.raises(RuntimeError):
        await _add_strength(db, user_id, "lost", fail=True)
    async with db.read() as session:
        assert list(await session.scalars(select(Strength.text))) == ["kept"]


async def test_units_and_async_writers_on_one_file_all_commit(db: Database):
    """Messages (units on the database thread) and the scheduler's writes (the async
    engine) reach the same file at once: every write lands, none fails as locked."""
    user_id = await _add_user(db, "busy")

    async def scheduler_write(n: int) -> None:
        async with db.write() as session:
            session.add(Strength(user_id=user_id, text=f"w{n}", created_at=NOW))

    await asyncio.gather(
        *(_add_strength(db, user_id, f"u{n}") for n in range(40)),
        *(scheduler_write(n) for n in range(40)),
    )
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 80


@pytest.mark.sqlite_only
async def test_a_unit_runs_on_the_database_thread_over_the_stdlib_driver(db: Database):
    import threading

    seen: list[tuple[str, str]] = []

    async def work(session):
        driver = session.get_bind().dialect.driver
        seen.append((threading.current_thread().name, driver))

    await db.unit(work)
    assert seen[0][0].startswith("rebound-db") and seen[0][1] == "pysqlite"
