"""PostgreSQL's unit of work (``Database.unit``): a person's message runs on a pool of
database threads over psycopg 3, one pooled connection per unit, so different people's
messages run side by side while one person's messages still wait for each other on
their row lock; without psycopg (or with a URL it cannot take) units stay on asyncpg.

The database tests run only when ``REBOUND_TEST_POSTGRES_URL`` is set
(``.ci/postgres.sh start``); the URL translation tests run everywhere.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from core.dialogs import all_dialogs
from core.engine import Engine, is_transient
from core.messages import Incoming
from storage.database import Database, psycopg_url
from storage.migrate import migrate
from storage.models import User
from storage.repositories import users
from tests.conftest import FakeClock

WAIT_S = 30
"""Upper bound for waiting on another thread; only reached when something is wrong."""


async def _where(session: AsyncSession) -> tuple[str, str, str]:
    """(thread name, driver, application_name) of the unit running ``session``."""
    name = await session.scalar(text("SELECT current_setting('application_name')"))
    return threading.current_thread().name, session.get_bind().dialect.driver, str(name)


THREADS = 5
"""This module's units run on psycopg threads (DATABASE_UNIT_THREADS); the default, 0,
keeps them on asyncpg like everything else."""


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url, pg_unit_threads=THREADS)
    await migrate(database)
    yield database
    await database.dispose()


async def _lock_waiters(db: Database) -> int:
    """Backends of this database waiting for a lock (another transaction's row lock)."""
    async with db.read() as session:
        count = await session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return int(count or 0)


async def _until(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait (polling) until ``check()`` is true; fails the test after WAIT_S."""
    for _ in range(WAIT_S * 100):
        if await check():
            return
        await asyncio.sleep(0.01)
    pytest.fail("the other transaction never got there")


@pytest.mark.postgres_only
async def test_a_unit_runs_on_a_database_thread_over_psycopg(db: Database):
    seen = await db.unit(_where)
    thread, driver, application = seen
    assert thread.startswith("rebound-db") and driver == "psycopg"
    assert application == "rebound"
    # Everything else (the scheduler, the CLI) stays on the async engine over asyncpg.
    async with db.read() as session:
        assert session.get_bind().dialect.driver == "asyncpg"


@pytest.mark.postgres_only
async def test_core_statements_and_orm_queries_both_work_in_a_unit(db: Database, clock: FakeClock):
    """A unit may mix Core statements (rows, mappings, scalars) and ORM queries, as
    ``/export`` does: all of them come back over psycopg as over asyncpg."""
    now = clock()

    async def work(session: AsyncSession) -> tuple[object, ...]:
        user, _state, _created = await users.get_or_create(session, "terminal", "dee", now)
        table = User.__table__
        rows = (await session.execute(select(table).where(table.c.id == user.id))).mappings()
        core = [dict(row) for row in rows]
        count = (await session.execute(text("SELECT count(*) FROM users"))).scalar_one()
        first = (await session.execute(select(table.c.external_id))).first()
        orm = (await session.scalars(select(User).where(User.id == user.id))).one()
        return core[0]["external_id"], count, first, orm.external_id, core[0]["created_at"]

    external_id, count, first, orm_id, created = await db.unit(work)
    assert (external_id, count, tuple(first), orm_id) == ("dee", 1, ("dee",), "dee")
    assert created == now


@pytest.mark.postgres_only
async def test_people_run_side_by_side_and_one_persons_messages_wait_on_the_row_lock(
    db: Database, db_url: str, clock: FakeClock
):
    """Ann's first message holds her row; Bob's message meanwhile goes through on
    another thread and connection; Ann's second message (here from a second worker)
    waits for the first and then sees what it wrote."""
    now = clock()
    for person in ("ann", "bob"):
        await db.unit(lambda s, p=person: users.get_or_create(s, "terminal", p, now))
    holding, release = threading.Event(), threading.Event()

    async def ann_first(session: AsyncSession) -> str:
        user, _state, _created = await users.get_or_create(session, "terminal", "ann", now)
        user.name = "Ann from the first message"
        await users.store_person(session, user)  # written, not yet committed
        holding.set()
        # Blocks this database thread only: the event loop and the other threads go on.
        assert release.wait(WAIT_S)
        return threading.current_thread().name

    async def bob(session: AsyncSession) -> str:
        await users.get_or_create(session, "terminal", "bob", now)
        return threading.current_thread().name

    async def ann_second(session: AsyncSession) -> str | None:
        user, _state, _created = await users.get_or_create(session, "terminal", "ann", now)
        return user.name

    other = Database(db_url, pg_unit_threads=THREADS)
    try:
        first = asyncio.ensure_future(db.unit(ann_first))
        assert await asyncio.to_thread(holding.wait, WAIT_S)
        bob_thread = await db.unit(bob)
        assert not first.done()  # Bob was not held up by Ann's open transaction
        second = asyncio.ensure_future(other.unit(ann_second))
        await _until(lambda: _waiting(db))
        assert not second.done()
        release.set()
        ann_thread = await first
        assert await second == "Ann from the first message"
    finally:
        release.set()
        await other.dispose()
    assert ann_thread != bob_thread and bob_thread.startswith("rebound-db")


async def _waiting(db: Database) -> bool:
    return await _lock_waiters(db) > 0


@pytest.mark.postgres_only
async def test_a_deadlock_between_two_units_is_an_error_the_engine_retries(
    db: Database, clock: FakeClock
):
    """Two units lock two people in opposite order: PostgreSQL aborts one (40P01), and
    the psycopg error reaches the engine as the transient DBAPIError it retries."""
    now = clock()
    for person in ("ann", "bob"):
        await db.unit(lambda s, p=person: users.get_or_create(s, "terminal", p, now))
    both_hold = threading.Barrier(2, timeout=WAIT_S)

    def crossing(first: str, then: str) -> Callable[[AsyncSession], Awaitable[None]]:
        async def work(session: AsyncSession) -> None:
            await users.get_or_create(session, "terminal", first, now)
            both_hold.wait()
            await users.get_or_create(session, "terminal", then, now)

        return work

    outcomes = await asyncio.gather(
        db.unit(crossing("ann", "bob")), db.unit(crossing("bob", "ann")), return_exceptions=True
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], DBAPIError) and is_transient(errors[0])


@pytest.mark.postgres_only
async def test_dispose_closes_the_unit_connections(db: Database, db_url: str):
    other = Database(db_url, pg_unit_threads=THREADS)
    pid = await other.unit(lambda s: s.scalar(text("SELECT pg_backend_pid()")))
    await other.dispose()

    async def gone() -> bool:
        async with db.read() as session:
            found = await session.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
        return found == 0

    await _until(gone)


@pytest.mark.postgres_only
async def test_messages_on_the_pool_keep_what_people_wrote(db: Database, clock: FakeClock):
    """Many people at once through the engine: each one's mood and strength land, with
    the same replies as one at a time."""
    engine = Engine(db, all_dialogs(), clock=clock)
    people = [f"p{n}" for n in range(30)]
    await asyncio.gather(*(engine.handle(Incoming("terminal", p, text="hi")) for p in people))
    replies = await asyncio.gather(
        *(
            engine.handle(Incoming("terminal", p, text=f"/strengths add Patience {p}"))
            for p in people
        )
    )
    assert all("1 on your list" in r[0].text for r in replies), replies[0]
    async with db.read() as session:
        stored = set(await session.scalars(select(User.external_id)))
    assert set(people) <= stored


@pytest.mark.postgres_only
@pytest.mark.parametrize("why", ["psycopg missing", "asyncpg-only option"])
async def test_without_psycopg_units_run_on_asyncpg_and_say_so_once(
    db_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, caplog, why: str
):
    if why == "psycopg missing":
        monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
        url = db_url
    else:
        url = make_url(db_url).update_query_dict({"command_timeout": "60"})
        url = url.render_as_string(hide_password=False)
    with caplog.at_level(logging.INFO, logger="storage.database"):
        db = Database(url, pg_unit_threads=THREADS)
    try:
        thread, driver, application = await db.unit(_where)
        engine = Engine(db, all_dialogs(), clock=clock)
        replies = await engine.handle(Incoming("terminal", "cy", text="/strengths add Grit"))
    finally:
        await db.dispose()
    assert driver == "asyncpg" and application == "rebound"
    assert not thread.startswith("rebound-db")
    assert "1 on your list" in replies[0].text
    notes = [r for r in caplog.records if r.name == "storage.database"]
    assert len(notes) == 1 and "asyncpg" in notes[0].getMessage()
    assert "rebound:" not in notes[0].getMessage()  # no password, no URL


@pytest.mark.postgres_only
async def test_by_default_messages_run_on_asyncpg(db_url: str, caplog):
    """DATABASE_UNIT_THREADS=0 (the default): no psycopg threads, no note in the log."""
    with caplog.at_level(logging.INFO, logger="storage.database"):
        default = Database(db_url)
    try:
        thread, driver, _application = await default.unit(_where)
    finally:
        await default.dispose()
    assert driver == "asyncpg" and not thread.startswith("rebound-db")
    assert not [r for r in caplog.records if r.name == "storage.database"]


# -- the URL: asyncpg's spelling to psycopg's ------------------------------------------

BASE = "postgresql+asyncpg://rebound:p%40ss%3Aw0rd@db.internal:6543/rebound"


def _translated(query: str) -> tuple[str, dict[str, object]] | None:
    result = psycopg_url(make_url(BASE + query))
    if result is None:
        return None
    url, connect_args = result
    return url.render_as_string(hide_password=False), connect_args


def test_server_role_and_database_carry_over_to_psycopg():
    url, args = _translated("") or ("", {})
    assert url == "postgresql+psycopg://rebound:p%40ss%3Aw0rd@db.internal:6543/rebound"
    assert make_url(url).password == "p@ss:w0rd" and args == {}


@pytest.mark.parametrize(
    ("query", "expected_query", "expected_args"),
    [
        ("?ssl=require", "?sslmode=require", {}),
        ("?ssl=verify-full", "?sslmode=verify-full", {}),
        ("?sslmode=disable", "?sslmode=disable", {}),
        ("?timeout=2.5", "?connect_timeout=3", {}),
        ("?timeout=10", "?connect_timeout=10", {}),
        ("?prepared_statement_cache_size=0", "", {"prepare_threshold": None}),
        ("?prepared_statement_cache_size=500", "", {}),
        ("?host=a:5432&host=b:5433", "?host=a%3A5432&host=b%3A5433", {}),
    ],
)
def test_asyncpg_query_arguments_become_their_psycopg_equivalents(
    query: str, expected_query: str, expected_args: dict[str, object]
):
    translated = _translated(query)
    assert translated is not None
    url, args = translated
    assert url == "postgresql+psycopg://rebound:p%40ss%3Aw0rd@db.internal:6543/rebound" + (
        expected_query
    )
    assert args == expected_args


@pytest.mark.parametrize(
    "query", ["?command_timeout=60", "?ssl=true", "?timeout=soon", "?server_settings=x"]
)
def test_an_option_psycopg_has_no_equivalent_for_keeps_asyncpg(query: str):
    assert _translated(query) is None
