"""Any one of a person's records, by table: fetch it (only if it is theirs), list them
in the order the person sees them numbered, delete one. Used by edit, remove and undo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, Base, MoodEntry, Rejection

Row = TypeVar("Row", bound=Base)


async def get(session: AsyncSession, model: type[Row], user_id: int, row_id: int) -> Row | None:
    """The row ``row_id`` of ``model`` when it belongs to ``user_id``; None otherwise."""
    found = await session.get(model, row_id)
    return found if found is not None and getattr(found, "user_id", None) == user_id else None


async def newest_first(
    session: AsyncSession, model: type[Row], user_id: int, *, limit: int | None = None
) -> Sequence[Row]:
    """The person's rows, newest first (by the day they happened, then by id)."""
    when = {
        Application: Application.applied_on,
        Rejection: Rejection.created_at,
        MoodEntry: MoodEntry.created_at,
    }.get(model)
    id_column = model.id  # type: ignore[attr-defined]
    query = select(model).where(model.user_id == user_id)  # type: ignore[attr-defined]
    order = [when.desc(), id_column.desc()] if when is not None else [id_column.desc()]
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return (await session.scalars(query)).all()


async def delete(session: AsyncSession, row: Base) -> None:
    """Delete one row (rows that point at it follow their foreign keys' ON DELETE)."""
    await session.delete(row)
    await session.flush()
