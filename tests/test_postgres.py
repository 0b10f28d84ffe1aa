"""PostgreSQL specifics: migrations from an empty database (also by two workers starting
at once), a schema that matches the models, and values that come back as they went in.
Run only when ``REBOUND_TEST_POSTGRES_URL`` is set (``.ci/postgres.sh start``)."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from storage.database import Database
from storage.migrate import migrate
from storage.models import Base, ConversationState, User
from tests.conftest import POSTGRES_URL, _admin, _drop, _run, postgres_url

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="REBOUND_TEST_POSTGRES_URL is not set")
_numbers = itertools.count()


@pytest.fixture
def empty_url() -> Iterator[str]:
    """A new database with no tables at all."""
    name = f"rebound_empty_{os.getpid()}_{next(_numbers)}"
    _run(_admin([f"CREATE DATABASE {name}"]))
    yield postgres_url(name)
    _drop(name)


async def _tables(db: Database) -> set[str]:
    async with db.read() as session:
        rows = await session.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        )
        return {row[0] for row in rows}


async def test_two_workers_migrating_an_empty_database_at_once(empty_url: str):
    workers = [Database(empty_url), Database(empty_url)]
    try:
        await asyncio.gather(*(migrate(db) for db in workers))
        assert set(Base.metadata.tables) | {"alembic_version"} == await _tables(workers[0])
        await migrate(workers[1])  # and again: nothing to do
    finally:
        for db in workers:
            await db.dispose()


async def test_the_migrated_schema_matches_the_models(empty_url: str):
    db = Database(empty_url)
    try:
        await migrate(db)
        async with db.engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": False}), Base.metadata
                )
            )
    finally:
        await db.dispose()
    assert differences == []


@pytest.mark.postgres_only
async def test_values_come_back_as_they_went_in(db: Database):
    berlin = timezone(timedelta(hours=1))
    seen = datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=berlin)
    async with db.write() as session:
        user = User(
            platform="telegram",
            external_id="9" * 20,
            name="Zoë 🌱 O'Brien; DROP TABLE users",
            timezone="Pacific/Kiritimati",
            mood_consent=False,
            onboarded=True,
            created_at=seen,
            last_seen_at=seen,
            strengths_offered_on=date(2026, 2, 28),
        )
        session.add(user)
        await session.flush()
        data = {"labels": {"skip": "x"}, "n": [1, 2.5, None, True], "text": 'ünï\\n"q"'}
        session.add(
            ConversationState(
                user_id=user.id, dialog="mood", step="s", nonce="abc", data=data, updated_at=seen
            )
        )
    async with db.read() as session:
        again = await session.scalar(select(User).where(User.external_id == "9" * 20))
        state = await session.get(ConversationState, again.id)
        server_now = await session.scalar(select(func.now()))
    assert again.created_at == seen and again.created_at.tzinfo is UTC
    assert (again.name, again.mood_consent, again.onboarded) == (user.name, False, True)
    assert again.strengths_offered_on == date(2026, 2, 28)
    assert state.data == data
    assert server_now.tzinfo is not None
