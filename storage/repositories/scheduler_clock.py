"""The scheduler's memory of its own clock: the latest planning pass, and a reading that
jumped and waits for confirmation. One row (``id`` 1), read and written under the write
lock of the pass that plans (``FOR UPDATE`` on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SchedulerClock

ROW_ID = 1


async def database_now(session: AsyncSession) -> datetime:
    """The database server's own clock, as an aware UTC datetime.

    SQLite answers ``CURRENT_TIMESTAMP`` as a UTC string to the second; PostgreSQL as an
    aware timestamp (the server's clock, which may be another machine's).
    """
    value = (await session.execute(select(func.current_timestamp()))).scalar_one()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


async def load(session: AsyncSession) -> SchedulerClock:
    """The clock row, created empty on first use (two workers starting together create
    one: ``ON CONFLICT DO NOTHING``); locked for this transaction."""
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert_fn(SchedulerClock.__table__)  # type: ignore[arg-type]
        .values(id=ROW_ID, last_pass_at=None, unconfirmed_at=None)
        .on_conflict_do_nothing(index_elements=[SchedulerClock.id])
    )
    return (
        await session.execute(
            select(SchedulerClock).where(SchedulerClock.id == ROW_ID).with_for_update()
        )
    ).scalar_one()
