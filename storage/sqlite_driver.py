"""SQLAlchemy's aiosqlite adapter, with each statement done in one trip to the driver thread.

aiosqlite runs every call on its own thread; SQLAlchemy's adapter makes a round trip
for creating the cursor, executing, fetching and closing it (3-4 per statement). Each
trip wakes a thread and the event loop, and under load those wake-ups cost more than
SQLite itself. This cursor does all four in one function on aiosqlite's thread, the
way SQLAlchemy's own adapter already runs its isolation-level setter there. Everything
else (pooling, transactions, error translation) is SQLAlchemy's, unchanged.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

T = TypeVar("T")


def _on_driver_thread(adapt_connection: Any, function: Callable[[sqlite3.Connection], T]) -> T:
    connection = adapt_connection._connection
    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    connection._tx.put_nowait((future, lambda: function(connection._conn)))
    return await_(future)


def _run(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        # No aiosqlite cursor: statements run on a plain sqlite3 cursor on the thread.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._rows = deque()
        self._soft_closed_memoized = {}  # type: ignore[assignment]
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    def _execute(self, operation: Any, parameters: Any, many: bool) -> None:
        try:
            description, rows, rowcount, lastrowid = _on_driver_thread(
                self._adapt_connection,
                lambda conn: _run(conn, operation, parameters, many),
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description, self._rowcount, self._lastrowid = description, rowcount, lastrowid
        self._rows = deque(rows)

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._execute(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._execute(operation, seq_of_parameters, many=True)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def dbapi() -> OneTripDBAPI:
    """The module object to hand to ``create_async_engine(..., module=...)``."""
    return OneTripDBAPI(aiosqlite, sqlite3)


class UnitCursor(sqlite3.Cursor):
    """A stdlib cursor that ``AsyncSession`` can also drive (``Database.unit``).

    ``AsyncSession.execute`` asks an async driver's cursor to let go of a result it has
    already buffered; on the database thread's sync engine there is nothing to wait for.
    """

    async def _async_soft_close(self) -> None:
        return None


class UnitConnection(sqlite3.Connection):
    """``sqlite3.connect(..., factory=UnitConnection)``: its cursors are ``UnitCursor``."""

    def cursor(self, factory: Any = UnitCursor) -> Any:
        return super().cursor(factory)
