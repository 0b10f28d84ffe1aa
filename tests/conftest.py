"""Shared fixtures: a real SQLite file per test, the real engine, an in-process chat."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.dialog import EngineSettings
from core.dialogs import all_dialogs
from core.engine import Engine
from storage.database import Database
from storage.migrate import migrate
from tests.harness import Chat


class FakeClock:
    """An injected clock: tests move time by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'rebound.db'}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))  # a Monday


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await migrate(database)
    yield database
    await database.dispose()


@pytest.fixture
def engine(db: Database, clock: FakeClock) -> Engine:
    return Engine(db, all_dialogs(), clock=clock, settings=EngineSettings())


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


@pytest.fixture
def new_chat(engine: Engine) -> Callable[..., Chat]:
    """More people talking to the same engine: ``new_chat("bob")``."""

    def make(user: str, **kwargs: object) -> Chat:
        return Chat(engine, user=user, **kwargs)  # type: ignore[arg-type]

    return make
