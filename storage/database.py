"""Engine and session setup for SQLite (WAL, BEGIN IMMEDIATE) and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from storage import sqlite_driver

logger = logging.getLogger(__name__)

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
    ) -> None:
        """``pool_size`` (PostgreSQL): connections kept open per process; up to
        ``max_overflow`` (default twice that) more are opened under load and closed
        after. Size it so that workers x (pool_size + max_overflow) stays below the
        server's ``max_connections``."""
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
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            self._write_turn = asyncio.Lock()

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

    async def dispose(self) -> None:
        await self.engine.dispose()


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

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
