"""One person on two platforms: joining two records into one, and separating them.

A linked account is a ``users`` row whose ``linked_to`` names the record it shows (the
record's own row holds the platform and id where scheduled messages go). Joining moves
every row of the absorbed record to the kept one, found from the schema as /export
finds a person's rows, so a new table is covered without anyone remembering it.
"""

from __future__ import annotations

from sqlalchemy import (
    PrimaryKeyConstraint,
    UniqueConstraint,
    and_,
    delete,
    exists,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, User
from storage.repositories.privacy import USERS, owned_tables

SETTINGS = (
    "name",
    "timezone",
    "country",
    "mood_consent",
    "weekly_goal",
    "paused_until",
    "crisis_at",
    "strengths_offered_on",
)
"""Fields of a record that are settings: on joining, the kept record's value wins where
it has one; where it has none, the absorbed record's value is taken."""
SWAP_MARK = "~swapping~"
UNSET_ZONE = "UTC"
"""A record's zone until the person sets one; joining treats it as unset."""


async def accounts_of(session: AsyncSession, record_id: int) -> list[User]:
    """The rows of other platforms linked to this record."""
    result = await session.scalars(select(User).where(User.linked_to == record_id))
    return list(result.all())


async def merge(session: AsyncSession, keep: User, absorb: User) -> dict[str, int]:
    """Move every row of ``absorb``'s record to ``keep``'s and make ``absorb`` a linked
    account of ``keep``. Returns table name -> rows moved.

    Nothing the person wrote is lost: rows move. Where a table allows one row per person
    (and per kind or day: a schedule, an outbox row, the dialog state), ``keep``'s row
    stays and ``absorb``'s conflicting row is dropped. Settings: ``keep``'s win, unset
    ones are filled from ``absorb`` (``SETTINGS``); ``onboarded`` if either was.
    """
    await session.flush()
    moved: dict[str, int] = {}
    for table in owned_tables(Base.metadata):
        if table.name == USERS:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != USERS:
                continue
            column = fk.parent
            for constraint in table.constraints:
                if not isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint):
                    continue
                columns = list(constraint.columns)
                if column not in columns:
                    continue
                others = [c for c in columns if c is not column]
                twin = table.alias("twin")
                same = [twin.c[c.name] == c for c in others]
                clash = exists().where(and_(twin.c[column.name] == keep.id, *same))
                await session.execute(delete(table).where(column == absorb.id, clash))
            result = await session.execute(
                update(table).where(column == absorb.id).values({column.name: keep.id})
            )
            count = max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
            moved[table.name] = moved.get(table.name, 0) + count
    for field in SETTINGS:
        if getattr(keep, field) is None and getattr(absorb, field) is not None:
            setattr(keep, field, getattr(absorb, field))
    if keep.timezone == UNSET_ZONE:  # the default: the person never chose one there
        keep.timezone = absorb.timezone
    keep.onboarded = keep.onboarded or absorb.onboarded
    absorb.linked_to = keep.id
    _reset(absorb)
    await session.flush()
    return moved


async def swap_identity(session: AsyncSession, record: User, account: User) -> None:
    """Exchange the platform ids of a record and one of its linked accounts, so that the
    record's row (where scheduled messages go) carries the account's platform id."""
    identity = (record.platform, record.external_id)
    record.external_id = SWAP_MARK
    await session.flush()
    account_identity = (account.platform, account.external_id)
    account.platform, account.external_id = identity
    await session.flush()
    record.platform, record.external_id = account_identity
    await session.flush()


async def separate(session: AsyncSession, account: User) -> None:
    """Make a linked account a record of its own again, empty (the data stays with the
    record it was linked to)."""
    account.linked_to = None
    _reset(account)
    await session.flush()


def _reset(user: User) -> None:
    for field in SETTINGS:
        setattr(user, field, None)
    user.timezone = "UTC"
    user.onboarded = False
    user.unreachable_at = None
