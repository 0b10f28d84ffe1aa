"""Which wording of a frequent message each person saw, and when (``VariantUse``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import VariantUse


async def last_used(session: AsyncSession, user_id: int, key: str) -> dict[int, datetime]:
    """Variant index -> when the person last saw it, for the list stored under ``key``."""
    rows = await session.scalars(
        select(VariantUse).where(VariantUse.user_id == user_id, VariantUse.key == key)
    )
    return {row.variant: row.used_at for row in rows}


async def record(
    session: AsyncSession, user_id: int, key: str, variant: int, now: datetime
) -> None:
    """Note that the person saw wording ``variant`` of ``key`` at ``now`` (UTC)."""
    row = await session.scalar(
        select(VariantUse).where(
            VariantUse.user_id == user_id, VariantUse.key == key, VariantUse.variant == variant
        )
    )
    if row is None:
        session.add(VariantUse(user_id=user_id, key=key, variant=variant, used_at=now))
    else:
        row.used_at = now
    await session.flush()
