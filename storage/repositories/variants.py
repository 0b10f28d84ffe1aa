"""Which wording of a frequent message each person saw, and when (``VariantUse``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from storage.models import VariantUse

# Core statements built once, on the table rather than the mapped class (which would
# take the ORM's bulk-insert path): these run for the most frequent messages (issue 17).
_TABLE = cast(Table, VariantUse.__table__)
_LAST_USED = select(_TABLE.c.variant, _TABLE.c.used_at).where(
    _TABLE.c.user_id == bindparam("user_id"), _TABLE.c.key == bindparam("key")
)


def _upsert(insert_fn: Any) -> Executable:
    statement = insert_fn(_TABLE).values(
        user_id=bindparam("user_id"),
        key=bindparam("key"),
        variant=bindparam("variant"),
        used_at=bindparam("used_at"),
    )
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[_TABLE.c.user_id, _TABLE.c.key, _TABLE.c.variant],
        set_={"used_at": statement.excluded.used_at},
    )
    return upsert


_RECORD: dict[str, Executable] = {
    "sqlite": _upsert(sqlite.insert),
    "postgresql": _upsert(postgresql.insert),
}


async def last_used(session: AsyncSession, user_id: int, key: str) -> dict[int, datetime]:
    """Variant index -> when the person last saw it, for the list stored under ``key``."""
    rows = await session.execute(_LAST_USED, {"user_id": user_id, "key": key})
    return {variant: used_at for variant, used_at in rows}


async def record(
    session: AsyncSession, user_id: int, key: str, variant: int, now: datetime
) -> None:
    """Note that the person saw wording ``variant`` of ``key`` at ``now`` (UTC): one
    statement (an upsert on the ``(user_id, key, variant)`` unique constraint)."""
    statement: Executable = _RECORD[session.get_bind().dialect.name]
    await session.execute(
        statement, {"user_id": user_id, "key": key, "variant": variant, "used_at": now}
    )
