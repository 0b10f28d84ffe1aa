"""Engine and session setup for SQLite (WAL, BEGIN IMMEDIATE) and PostgreSQL.

Two ways to each database, both SQLAlchemy: the async engine (aiosqlite, asyncpg) serves
everything that is not a person's message (the scheduler, the outbox, the CLI);
``unit()`` runs a message's whole unit of work on a database thread over SQLAlchemy's
sync engine, so a message costs one trip between the event loop and the database
instead of one (or four) per statement (issue 17). On SQLite that is one dedicated
thread over the stdlib ``sqlite3`` driver; on PostgreSQL a pool of threads, each unit on
a pooled connection of the sync driver psycopg 3 (``postgresql+psycopg``), when it is
installed.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from storage import sqlite_driver

logger = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_POOL_RECYCLE_S = 1800
"""PostgreSQL connections older than this are reopened (proxies and load balancers
drop idle ones)."""
PG_APPLICATION_NAME = "rebound"
"""How Rebound's connections show in ``pg_stat_activity``."""
LIBPQ_SSLMODES = frozenset({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
"""The ``ssl=`` values asyncpg and libpq (``sslmode=``) both know, with one meaning."""


def psycopg_url(url: URL) -> tuple[URL, dict[str, Any]] | None:
    """The psycopg 3 URL (``postgresql+psycopg``) and extra ``psycopg.connect`` arguments
    for the same server, database and role as ``url``, an asyncpg URL
    (``postgresql+asyncpg://user:password@host:port/db?...``); None when one of its query
    arguments has no psycopg equivalent (the caller then keeps asyncpg for everything).

    Host, port (also several ``host=`` entries), user, password and database carry over.
    Query arguments: ``ssl=<mode>`` (one of ``LIBPQ_SSLMODES``) becomes ``sslmode=<mode>``;
    ``sslmode=`` stays; ``timeout=<seconds>`` (asyncpg's connect timeout) becomes
    ``connect_timeout`` (whole seconds, rounded up); ``prepared_statement_cache_size=0``
    (asyncpg behind PgBouncer in transaction mode) turns psycopg's server-side prepared
    statements off too (``prepare_threshold=None``), another size is asyncpg's alone and
    dropped. Anything else (``command_timeout``, ``ssl=true``, ...) returns None.
    """
    query: dict[str, str | tuple[str, ...]] = {}
    connect_args: dict[str, Any] = {}
    for key, value in url.query.items():
        single = value if isinstance(value, str) else None
        if key in ("host", "port", "sslmode"):
            query[key] = value
        elif key == "ssl" and single in LIBPQ_SSLMODES:
            query["sslmode"] = single
        elif key == "timeout" and single is not None and _is_number(single):
            query["connect_timeout"] = str(max(1, -int(-float(single) // 1)))
        elif key == "prepared_statement_cache_size" and single is not None and single.isdigit():
            if int(single) == 0:
                connect_args["prepare_threshold"] = None
        else:
            return None
    return url.set(drivername="postgresql+psycopg", query=query), connect_args


def _is_number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


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
        pg_unit_threads: int = 0,
    ) -> None:
        """``pool_size`` (PostgreSQL): connections kept open per process; up to
        ``max_overflow`` (default twice that) more are opened under load and closed
        after. Size it so that workers x (pool_size + max_overflow) stays below the
        server's ``max_connections``. ``one_trip``: ``unit()`` runs on database threads
        over a sync driver (SQLite files: one thread, stdlib ``sqlite3``; PostgreSQL:
        ``pool_size`` threads, each unit on one of ``pool_size`` more connections over
        psycopg 3, the async engine's default overflow shrinking to ``pool_size`` so the
        total stays ``3 * pool_size``); False runs it on the async engine like
        ``write()`` (the bench compares the two). ``pg_unit_threads`` (PostgreSQL):
        0, the default, runs each unit on the async engine over asyncpg, which measured
        the most messages per second per worker (README, Performance); N > 0 runs units
        on N database threads over psycopg 3 instead (steadier tail latency, fewer
        messages per second on a 2-core machine). Without psycopg installed, or with a
        URL ``psycopg_url`` cannot translate, N > 0 falls back to the async engine and
        one line says so in the log."""
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite and self.url.get_driver_name() == "aiosqlite":
            kwargs["module"] = sqlite_driver.dbapi()
        threads = pg_unit_threads if one_trip and not self.is_sqlite else 0
        unit_url = self._psycopg_unit_url() if threads > 0 else None
        if not self.is_sqlite:
            if max_overflow is None:
                # The unit threads' connections count in the 3 x pool_size a worker opens.
                max_overflow = max(pool_size * 2 - (threads if unit_url else 0), 0)
            kwargs.update(
                pool_size=pool_size,
                max_overflow=max_overflow,
                # A connection the server or a proxy dropped is replaced, not handed out.
                pool_pre_ping=True,
                pool_recycle=PG_POOL_RECYCLE_S,
            )
            if self.url.get_driver_name() == "asyncpg":
                kwargs["connect_args"] = {
                    "server_settings": {"application_name": PG_APPLICATION_NAME}
                }
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
        elif unit_url is not None:
            sync_url, connect_args = unit_url
            unit_engine = create_engine(
                sync_url,
                echo=echo,
                # One connection per database thread: a unit holds one at a time.
                pool_size=threads,
                max_overflow=0,
                pool_pre_ping=True,
                pool_recycle=PG_POOL_RECYCLE_S,
                connect_args={
                    "application_name": PG_APPLICATION_NAME,
                    "cursor_factory": _psycopg_unit_cursor(),
                    **connect_args,
                },
            )
            self._unit_base = self._unit_engine = unit_engine
            self._unit_thread = ThreadPoolExecutor(threads, thread_name_prefix="rebound-db")

    def _psycopg_unit_url(self) -> tuple[URL, dict[str, Any]] | None:
        """The sync URL for PostgreSQL units, or None (with one log line) when units
        stay on the async engine: psycopg is not installed, or the URL cannot be
        translated (``psycopg_url``). Never logs the URL (it holds the password)."""
        if self.url.get_driver_name() != "asyncpg":
            return None
        try:
            import psycopg  # noqa: F401
        except ImportError:
            logger.info(
                "psycopg is not installed: DATABASE_UNIT_THREADS is ignored and "
                "PostgreSQL messages run on asyncpg (install rebound[postgres] for it)"
            )
            return None
        translated = psycopg_url(self.url)
        if translated is None:
            logger.info(
                "DATABASE_URL has an asyncpg option psycopg has no equivalent for "
                "(see README, Deployment): DATABASE_UNIT_THREADS is ignored and "
                "PostgreSQL messages run on asyncpg"
            )
        return translated

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
        loop waits for the one result. On PostgreSQL with psycopg it runs the same way
        on one of ``pool_size`` database threads, on a pooled psycopg connection, so
        units of different people run side by side; row locks (``FOR NO KEY UPDATE``),
        ``SKIP LOCKED`` and the engine's retries work as on asyncpg (a serialisation
        failure or deadlock is a ``DBAPIError`` whose ``orig.sqlstate`` is 40001 or
        40P01 on both drivers). ``work`` must then await nothing but the session (it
        runs on that thread's own event loop). Elsewhere (an in-memory SQLite
        database, PostgreSQL without psycopg) it is ``write()`` unchanged.
        """
        if self._unit_thread is None:
            async with self.write() as session:
                return await work(session)
        # The database threads take units in the order they come: they queue there, so
        # a thread goes from one to the next without waiting for the event loop. On
        # SQLite a write() of the async engine (the scheduler) meanwhile waits in
        # SQLite's busy handler.
        return await asyncio.get_running_loop().run_in_executor(
            self._unit_thread, self._run_unit, work
        )

    def _run_unit(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """On a database thread: the unit of work on that thread's event loop."""
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
        """Close every connection (both engines) after the units in flight finish, and
        stop the database threads. The object is not usable afterwards."""
        await self.engine.dispose()
        if self._unit_thread is not None:
            threads, unit_engine, loops = self._unit_thread, self._unit_base, self._unit_loops
            self._unit_thread = None

            def close() -> None:
                threads.shutdown(wait=True)
                if unit_engine is not None:
                    unit_engine.dispose()
                for loop in loops.values():
                    loop.close()
                loops.clear()

            await asyncio.to_thread(close)


@functools.cache
def _psycopg_unit_cursor() -> type[Any]:
    """A psycopg cursor that ``AsyncSession`` can also drive (``Database.unit``), as
    ``sqlite_driver.UnitCursor`` is for SQLite: ``AsyncSession.execute`` asks an async
    driver's cursor to let go of a Core result it has already buffered; over the sync
    engine there is nothing to wait for. Raises ImportError without psycopg."""
    import psycopg

    class UnitCursor(psycopg.Cursor[Any]):
        async def _async_soft_close(self) -> None:
            return None

    return UnitCursor


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
