"""Shared fixtures: a real database per test, the real engine, an in-process chat.

Every test that uses ``db_url`` (directly or through ``db``, ``engine``, ``chat``) runs
on a fresh SQLite file. When ``REBOUND_TEST_POSTGRES_URL`` names a PostgreSQL server
(``eval "$(.ci/postgres.sh start)"``), it runs a second time on a fresh PostgreSQL
database, copied from a template migrated once per session. Tests of SQLite itself
carry ``@pytest.mark.sqlite_only``.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import warnings
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import make_url

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


T = TypeVar("T")

POSTGRES_URL = os.environ.get("REBOUND_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
_database_numbers = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: runs on SQLite only (tests SQLite itself)")
    config.addinivalue_line("markers", "postgres_only: needs REBOUND_TEST_POSTGRES_URL")
    config.addinivalue_line(
        "markers", "slow: end-to-end runs of real processes (deselect with -m 'not slow')"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgres_only"):
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
    elif len(BACKENDS) > 1 and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run admin SQL on its own loop and thread, whatever loop the test has."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _admin(statements: list[str]) -> None:
    import asyncpg

    url = make_url(POSTGRES_URL)
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session", autouse=True)
def _user_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's data folder (platformdirs honours XDG_DATA_HOME) is a temporary one,
    for this process and the subprocesses it starts: no test writes into a real home."""
    saved = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    yield
    if saved is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = saved


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A database migrated once; each test gets a copy (CREATE DATABASE ... TEMPLATE)."""
    if not POSTGRES_URL:
        pytest.skip("REBOUND_TEST_POSTGRES_URL is not set (see .ci/postgres.sh)")
    name = f"rebound_template_{os.getpid()}"
    _run(_admin([f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"]))

    async def upgrade() -> None:
        database = Database(postgres_url(name))
        try:
            await migrate(database)
        finally:
            await database.dispose()

    _run(upgrade())
    yield name
    _drop(name)


def postgres_url(database: str) -> str:
    """REBOUND_TEST_POSTGRES_URL pointed at another database on the same server."""
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'rebound.db'}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"rebound_test_{os.getpid()}_{next(_database_numbers)}"
    _run(_admin([f"CREATE DATABASE {name} TEMPLATE {template}"]))
    yield postgres_url(name)
    _drop(name)


def _drop(name: str) -> None:
    """Drop a test database; the server is throwaway, so a failure is not the test's."""
    try:
        _run(_admin([f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"]))
    except Exception as error:  # e.g. an autovacuum worker the role may not stop
        warnings.warn(f"test database {name} left behind: {error}", stacklevel=1)


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
