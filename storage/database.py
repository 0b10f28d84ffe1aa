"""Engine and session setup for SQLite (WAL, BEGIN IMMEDIATE) and PostgreSQL.

Two ways to SQLite, both SQLAlchemy: the async engine over aiosqlite serves everything
that is not a person's message (the scheduler, the outbox, the CLI); ``unit()`` runs a
message's whole unit of work on one dedicated database thread, over SQLAlchemy's sync
engine and the stdlib ``sqlite3`` driver, so a message costs one trip between the event
loop and the database instead of one (or four) per statement (issue 17).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from storage import sqlite_driver

logger = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_POOL_RECYCLE_S = 1800
"""PostgreSQL connections older than this are reopened (proxies and load balancers
drop idle ones)."""


class Database:
    """One async engine and the two kinds of unit of work Rebound uses.

    ``write()`` opens a transaction that takes the write lock at once (``BEGIN
    IMMEDIATE`` on SQLite): a deferred transaction that later upgrades from read to
    write fails immediately with "database is locked" under concurrency, whatever the
    busy timeout. ``read()`` opens a plain deferred transaction.
    """

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        pool_size: int = 5,
        max_overflow: int | None = None,
        one_trip: bool = True,
    ) -> None:
        """``pool_size`` (PostgreSQL): connections kept open per process; up to
        ``max_overflow`` (default twice that) more are opened under load and closed
        after. Size it so that workers x (pool_size + max_overflow) stays below the
        server's ``max_connections``. ``one_trip`` (SQLite files): ``unit()`` runs on
        a dedicated database thread over the stdlib driver; False runs it on the async
        engine like ``write()`` (the bench compares the two)."""
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite and self.url.get_driver_name() == "aiosqlite":
            kwargs["module"] = sqlite_driver.dbapi()
        if not self.is_sqlite:
            kwargs.update(
                pool_size=pool_size,
                max_overflow=pool_size * 2 if max_overflow is None else max_overflow,
                # A connection the server or a proxy dropped is replaced, not handed out.
                pool_pre_ping=True,
                pool_recycle=PG_POOL_RECYCLE_S,
            )
            if self.url.get_driver_name() == "asyncpg":
                kwargs["connect_args"] = {"server_settings": {"application_name": "rebound"}}
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self._writer = self.engine.execution_options(rebound_immediate=True)
        # SQLite has one writer at a time. Queueing our own writers here, instead of
        # letting each connection wait in SQLite's busy handler (which sleeps in
        # growing steps), keeps latency low; other processes still meet busy_timeout.
        self._write_turn: asyncio.Lock | None = None
        self._unit_base: Engine | None = None
        self._unit_engine: Engine | None = None
        self._unit_thread: ThreadPoolExecutor | None = None
        self._unit_loops: dict[int, asyncio.AbstractEventLoop] = {}
        if self.is_sqlite:
            _configure_sqlite(self.engine.sync_engine)
            self._write_turn = asyncio.Lock()
            database = self.url.database or ""
            if one_trip and database and database != ":memory:" and "mode=memory" not in database:
                sync_url = self.url.set(drivername="sqlite+pysqlite")
                unit_engine = create_engine(
                    sync_url,
                    echo=echo,
                    connect_args={
                        "check_same_thread": False,
                        "factory": sqlite_driver.UnitConnection,
                    },
                )
                _configure_sqlite(unit_engine)
                self._unit_base = unit_engine
                self._unit_engine = unit_engine.execution_options(rebound_immediate=True)
                self._unit_thread = ThreadPoolExecutor(1, thread_name_prefix="rebound-db")

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A short write transaction; commits on success, rolls back on error."""
        if self._write_turn is None:
            async with AsyncSession(self._writer, expire_on_commit=False) as session:
                async with session.begin():
                    yield session
            return
        async with self._write_turn:
            async with AsyncSession(self._writer, expire_on_commit=False) as session:
                async with session.begin():
                    yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            async with session.begin():
                yield session

    async def unit(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``work(session)`` as one write transaction and return what it returns.

        Commits when ``work`` returns, rolls back when it raises (and re-raises:
        ``sqlalchemy.exc.DBAPIError`` for database failures, as ``write()`` does).
        On a SQLite file the whole of ``work`` runs on the database thread, over the
        sync engine: its statements cost no trip to another thread, and the event
        loop waits for the one result. ``work`` must then await nothing but the
        session (it runs on that thread's own event loop). Elsewhere (PostgreSQL, an
        in-memory SQLite database) it is ``write()`` unchanged: a pooled connection,
        row locks, SKIP LOCKED and the engine's retries work as before.
        """
        if self._unit_thread is None:
            async with self.write() as session:
                return await work(session)
        # The one database thread takes units in the order they come: they queue there,
        # so it goes from one to the next without waiting for the event loop. A write()
        # of the async engine (the scheduler) meanwhile waits in SQLite's busy handler.
        return await asyncio.get_running_loop().run_in_executor(
            self._unit_thread, self._run_unit, work
        )

    def _run_unit(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """On the database thread: the unit of work on that thread's event loop."""
        loop = self._unit_loops.get(threading.get_ident())
        if loop is None:
            loop = self._unit_loops[threading.get_ident()] = asyncio.new_event_loop()
        return loop.run_until_complete(self._unit(work))

    async def _unit(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        # AsyncSession's methods run the sync Session in a greenlet; over a sync
        # engine nothing inside ever waits on the loop, so each call returns at once.
        session = AsyncSession(expire_on_commit=False)
        session.sync_session.bind = self._unit_engine
        try:
            async with session.begin():
                return await work(session)
        finally:
            # Closed in place: ``async with session`` would close it in a shielded task,
            # which guards against a cancellation that cannot reach this thread.
            session.sync_session.close()

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._unit_thread is not None:
            unit_engine, loops = self._unit_base, self._unit_loops

            def close() -> None:
                if unit_engine is not None:
                    unit_engine.dispose()
                for loop in loops.values():
                    loop.close()
                loops.clear()

            await asyncio.get_running_loop().run_in_executor(self._unit_thread, close)
            self._unit_thread.shutdown(wait=False)
            self._unit_thread = None


def _configure_sqlite(sync_engine: Engine) -> None:

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("rebound_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
