"""Which wording of a frequent message each person saw, and when (``VariantUse``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from storage.models import VariantUse

# Core statements built once: these run for the most frequent messages (issue 17).
_LAST_USED = select(VariantUse.variant, VariantUse.used_at).where(
    VariantUse.user_id == bindparam("user_id"), VariantUse.key == bindparam("key")
)


def _upsert(insert_fn: Any) -> Executable:
    statement = insert_fn(VariantUse).values(
        user_id=bindparam("user_id"),
        key=bindparam("key"),
        variant=bindparam("variant"),
        used_at=bindparam("used_at"),
    )
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[VariantUse.user_id, VariantUse.key, VariantUse.variant],
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
