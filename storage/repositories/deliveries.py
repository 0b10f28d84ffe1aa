"""The outbox of scheduled messages, and what the scheduler reads to fill it.

Every function works on many people at once (one statement per batch, never one per
person), so that a pass over 100,000 due schedules stays a few hundred statements.
Row locks (``FOR UPDATE SKIP LOCKED``) let several workers share one PostgreSQL
database; SQLite ignores them and serialises writers with ``BEGIN IMMEDIATE`` instead.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    Date,
    Integer,
    Row,
    String,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AffirmationSeen, Delivery, MoodEntry, Schedule, User

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
SKIPPED = "skipped"
FAILED = "failed"


# -- schedules -> outbox ------------------------------------------------------------


_DUE_COLUMNS = (
    Schedule.id,
    Schedule.user_id,
    Schedule.kind,
    Schedule.local_time,
    Schedule.days,
    Schedule.timezone,
    Schedule.next_due_at,
    User.paused_until,
    User.crisis_at,
    User.unreachable_at,
)
"""A due schedule with what decides whether to send it."""


def _due(now: datetime) -> Any:
    return (
        select(*_DUE_COLUMNS)
        .join(User, User.id == Schedule.user_id)
        .where(Schedule.enabled.is_(True), Schedule.next_due_at <= now)
    )


_SCHEDULES = cast(Table, Schedule.__table__)
_DELIVERIES = cast(Table, Delivery.__table__)
_USERS = cast(Table, User.__table__)


async def due_batch(
    session: AsyncSession, now: datetime, limit: int
) -> Sequence[Row[int, str, str, str]]:
    """Up to ``limit`` enabled schedules due at ``now`` (UTC-aware), earliest first, as
    ``(id, local_time, days, timezone)``: what a pass needs to work out each one's
    occurrence in Python (once per distinct time, days and zone). The rows are locked
    for this transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: another worker takes
    the next ones); SQLite's ``BEGIN IMMEDIATE`` serialises passes instead."""
    s = _SCHEDULES.c
    result = await session.execute(
        select(s.id, s.local_time, s.days, s.timezone)
        .where(s.enabled.is_(True), s.next_due_at <= now)
        .order_by(s.next_due_at, s.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return cast(Sequence[Row[int, str, str, str]], result.all())


def sendable_now(
    kind: Any, now: datetime, *, crisis_kinds: Collection[str], crisis_since: datetime
) -> Any:
    """The SQL condition, over ``users`` and a ``kind`` column, that a person gets a
    ``kind`` message now: not unreachable, not paused past ``now``, and (for
    ``crisis_kinds``) no crisis after ``crisis_since``. The rule itself is
    core/outbox.py ``hold_reason``: its caller passes that module's constants, and
    tests/test_outbox_plan.py checks both give the same answer on every boundary."""
    u = _USERS.c
    return and_(
        u.unreachable_at.is_(None),
        or_(u.paused_until.is_(None), u.paused_until <= now),
        or_(kind.not_in(list(crisis_kinds)), u.crisis_at.is_(None), u.crisis_at <= crisis_since),
    )


_PLANNED_COLUMNS = ("user_id", "kind", "local_date", "status", "attempts", "created_at")


async def plan_pending(
    session: AsyncSession,
    schedule_ids: Sequence[int],
    local_day: date,
    now: datetime,
    *,
    crisis_kinds: Collection[str],
    crisis_since: datetime,
) -> int:
    """Add a pending outbox row dated ``local_day`` (the person's local date) for each
    of ``schedule_ids`` whose person is not held back (``sendable_now``), in one
    ``INSERT ... SELECT``; a row already there for that person,
    kind and date stays as it is. Returns the number of rows added."""
    s, u, d = _SCHEDULES.c, _USERS.c, _DELIVERIES.c
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = (
        select(
            s.user_id,
            s.kind,
            literal(local_day, Date()),
            literal(PENDING, String()),
            literal(0, Integer()),
            literal(now, d.created_at.type),
        )
        .join_from(_SCHEDULES, _USERS, u.id == s.user_id)
        .where(
            among(session, s.id, schedule_ids),
            sendable_now(s.kind, now, crisis_kinds=crisis_kinds, crisis_since=crisis_since),
        )
    )
    statement = (
        insert_fn(_DELIVERIES)
        .from_select(_PLANNED_COLUMNS, rows)
        .on_conflict_do_nothing(index_elements=[d.user_id, d.kind, d.local_date])
    )
    result = await session.execute(statement)
    return max(result.rowcount or 0, 0)  # type: ignore[attr-defined]


async def move_due(
    session: AsyncSession, schedule_ids: Sequence[int], next_due_at: datetime | None
) -> None:
    """Set ``next_due_at`` of ``schedule_ids`` in one ``UPDATE``: a pass moves every
    schedule sharing a time, days and zone to the same next instant."""
    await session.execute(
        update(_SCHEDULES)
        .where(among(session, _SCHEDULES.c.id, schedule_ids))
        .values(next_due_at=next_due_at)
    )


FEW_GROUPS = 8


def among(session: AsyncSession, column: Any, values: Collection[Any]) -> Any:
    """``column IN values`` as one bound parameter, however many values: ``column =
    ANY(:array)`` on PostgreSQL, ``column IN (SELECT value FROM json_each(:json))`` on
    SQLite (JSON is built into SQLite since 3.38). A plain ``in_()`` renders and binds
    one parameter per value, which for a batch of thousands costs more than running
    the query, and meets SQLite's old limit of 999 parameters."""
    listed = list(values)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(listed, postgresql.ARRAY(column.type)))
    return column.in_(
        select(literal_column("value")).select_from(func.json_each(literal(json.dumps(listed))))
    )


async def _update_by_id(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Apply ``{"id": 1, "status": "sent", ...}`` rows.

    When the rows share a few sets of new values (one status for a whole batch, one
    next instant per zone and time) each set is one ``UPDATE ... WHERE id IN (...)``;
    otherwise (a batch of texts) one executemany per set of columns.
    """
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for row in rows:
        values = tuple(sorted((k, v) for k, v in row.items() if k != "id"))
        groups.setdefault(values, []).append(row["id"])
    if len(groups) > FEW_GROUPS:
        await _update_each(session, table, rows)
        return
    for values, ids in groups.items():
        await session.execute(
            update(table).where(among(session, table.c.id, ids)).values(dict(values))
        )


async def _update_each(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    by_columns: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    for columns, group in by_columns.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({c: bindparam(f"new_{c}") for c in columns})
        )
        params = [{"row_id": r["id"], **{f"new_{c}": r[c] for c in columns}} for r in group]
        await session.execute(statement, params)


async def add_pending(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert outbox rows ``{user_id, kind, local_date, created_at}``; existing ones stay."""
    if not rows:
        return
    values = [{**row, "status": PENDING, "attempts": 0} for row in rows]
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert_fn(Delivery.__table__).on_conflict_do_nothing(  # type: ignore[arg-type]
        index_elements=[Delivery.user_id, Delivery.kind, Delivery.local_date]
    )
    await session.execute(statement, values)


# -- outbox -> sending ----------------------------------------------------------------


def _claimable(fresh_since: datetime, reclaim_before: datetime) -> tuple[Any, Any]:
    """The two kinds of claimable row, as two conditions: pending rows, and rows whose
    claim expired (the worker died). Asked separately, each is an index range in id
    order (``ix_deliveries_claim``); one ``OR`` of both makes SQLite scan the whole
    outbox for every batch, which grows with the square of a pass's size. So does an
    index on ``created_at``: SQLite picks ``ix_deliveries_pending`` for ``status = ?
    AND created_at >= ?`` and sorts every pending row of the pass per batch; the
    ``coalesce`` keeps ``created_at`` a filter, so the id-ordered index stops at the
    batch's last row (the same answer: ``created_at`` is never NULL)."""
    fresh = func.coalesce(Delivery.created_at, Delivery.created_at) >= fresh_since
    return (
        and_(Delivery.status == PENDING, fresh),
        and_(Delivery.status == SENDING, Delivery.claimed_at < reclaim_before, fresh),
    )


async def expire(session: AsyncSession, fresh_since: datetime, reclaim_before: datetime) -> int:
    """Mark rows too old to send as skipped: no backlog of missed days is ever sent."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.status.in_((PENDING, SENDING)),
            Delivery.created_at < fresh_since,
            or_(Delivery.status == PENDING, Delivery.claimed_at < reclaim_before),
        )
        .values(status=SKIPPED)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


_CLAIM_COLUMNS = select(
    _DELIVERIES.c.id,
    _DELIVERIES.c.user_id,
    _DELIVERIES.c.kind,
    _DELIVERIES.c.local_date,
    _DELIVERIES.c.text,
    _DELIVERIES.c.content_id,
    _DELIVERIES.c.attempts,
    _USERS.c.platform,
    _USERS.c.external_id,
    _USERS.c.name,
    _USERS.c.timezone,
    _USERS.c.paused_until,
    _USERS.c.crisis_at,
    _USERS.c.unreachable_at,
).join_from(_DELIVERIES, _USERS, _USERS.c.id == _DELIVERIES.c.user_id)
"""A claimable row with what sending it needs (Core columns: no ORM loading)."""


async def claim(
    session: AsyncSession,
    platforms: Collection[str],
    now: datetime,
    *,
    fresh_since: datetime,
    reclaim_before: datetime,
    limit: int,
    external_ids: Collection[str] | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Take up to ``limit`` sendable rows for ``platforms``, in id order, locked for this
    transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: another worker takes the
    next ones; SQLite's ``BEGIN IMMEDIATE`` serialises claims). The caller records
    what became of every one of them with ``settle`` in the same transaction.

    A row claimed by a worker that died is claimable again once its claim is older than
    ``reclaim_before``; rows made before ``fresh_since`` are never claimed.
    ``external_ids``: only these people (the terminal chat delivers to its own person).
    """
    d, u = _DELIVERIES.c, _USERS.c
    rows: list[Row[*tuple[Any, ...]]] = []
    for condition in _claimable(fresh_since, reclaim_before):
        if len(rows) >= limit:
            break
        if external_ids is not None:
            condition = and_(condition, u.external_id.in_(list(external_ids)))
        result = await session.execute(
            _CLAIM_COLUMNS.where(condition, u.platform.in_(list(platforms)))
            .order_by(d.id)
            .limit(limit - len(rows))
            .with_for_update(skip_locked=True, of=_DELIVERIES)
        )
        rows.extend(result.all())
    return rows


async def settle(
    session: AsyncSession,
    now: datetime,
    *,
    words: Sequence[tuple[int, str, str | None]],
    statuses: Mapping[str, Collection[int]],
) -> None:
    """Record a batch of claimed rows (from ``claim``): every row gets
    ``claimed_at=now`` and one more attempt.

    ``words``: (id, text, content id) of rows whose words were chosen now; they become
    ``sending`` with those words in one ``UPDATE ... FROM`` the list, bound as one
    parameter (``_chosen``): each row is written once. ``statuses``: status -> ids of
    rows that keep the words they have (``sending`` for a retry, which resends the
    words chosen the first time; ``skipped`` for a row held back or with nothing to
    say), one ``UPDATE ... WHERE id IN (...)`` per status.
    """
    d = _DELIVERIES.c
    if words:
        source = _chosen(session, words)
        await session.execute(
            update(_DELIVERIES)
            .where(d.id == source.c.id)
            .values(
                status=SENDING,
                claimed_at=now,
                attempts=d.attempts + 1,
                text=source.c.text,
                content_id=source.c.content_id,
            )
            .execution_options(synchronize_session=False)
        )
    for status, ids in statuses.items():
        if ids:
            await session.execute(
                update(_DELIVERIES)
                .where(among(session, d.id, ids))
                .values(status=status, claimed_at=now, attempts=d.attempts + 1)
                .execution_options(synchronize_session=False)
            )


def _chosen(session: AsyncSession, words: Sequence[tuple[int, str, str | None]]) -> Any:
    """(id, text, content id) rows as a table with columns ``id``, ``text`` and
    ``content_id``, however many rows, bound as one parameter: ``unnest`` of three
    arrays on PostgreSQL, ``json_each`` of one JSON array on SQLite. An executemany of
    one ``UPDATE`` per row costs more in SQLAlchemy's per-row parameter handling than
    SQLite spends writing the rows."""
    if session.get_bind().dialect.name == "postgresql":
        ids, texts, content_ids = zip(*words, strict=True)
        return (
            func.unnest(
                literal(list(ids), postgresql.ARRAY(Integer())),
                literal(list(texts), postgresql.ARRAY(Text())),
                literal(list(content_ids), postgresql.ARRAY(String())),
            )
            .table_valued("id", "text", "content_id")
            .render_derived()
        )
    items = func.json_each(literal(json.dumps(words))).table_valued("value")
    return select(
        func.json_extract(items.c.value, "$[0]").label("id"),
        func.json_extract(items.c.value, "$[1]").label("text"),
        func.json_extract(items.c.value, "$[2]").label("content_id"),
    ).subquery()


async def finish(session: AsyncSession, outcomes: Sequence[Mapping[str, Any]]) -> None:
    """Record how sending went: ``{"id", "status", "sent_at", "claimed_at"}`` per row."""
    if outcomes:
        await _update_by_id(session, Delivery.__table__, outcomes)  # type: ignore[arg-type]


async def mark_unreachable(session: AsyncSession, user_ids: Collection[int], now: datetime) -> None:
    if user_ids:
        await session.execute(
            update(User)
            .where(User.id.in_(list(user_ids)))
            .values(unreachable_at=now)
            .execution_options(synchronize_session=False)
        )


async def unshown(
    session: AsyncSession, platform: str, external_id: str, since: datetime, limit: int
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Deliveries sent to this person since ``since`` that their chat has not shown yet
    (printed by ``dispatch`` while it was closed), oldest first, at most ``limit``
    (the newest ones)."""
    result = await session.execute(
        select(Delivery.id, Delivery.kind, Delivery.local_date, Delivery.text)
        .join(User, User.id == Delivery.user_id)
        .where(
            User.platform == platform,
            User.external_id == external_id,
            Delivery.status == SENT,
            Delivery.shown_at.is_(None),
            Delivery.created_at >= since,
            Delivery.text.is_not(None),
        )
        .order_by(Delivery.id.desc())
        .limit(limit)
    )
    return list(reversed(result.all()))


async def mark_shown(session: AsyncSession, delivery_ids: Collection[int], now: datetime) -> None:
    """Remember that the terminal chat showed these deliveries."""
    if delivery_ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(list(delivery_ids)))
            .values(shown_at=now)
            .execution_options(synchronize_session=False)
        )


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    result = await session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    return {status: count for status, count in result.all()}


async def for_user(session: AsyncSession, user_id: int) -> Sequence[Delivery]:
    result = await session.scalars(
        select(Delivery).where(Delivery.user_id == user_id).order_by(Delivery.id)
    )
    return result.all()


# -- what the words are chosen from -------------------------------------------------


async def recent_moods(
    session: AsyncSession, user_ids: Collection[int], since: datetime
) -> dict[int, list[int]]:
    """Mood scores logged since ``since``, newest first, per person."""
    if not user_ids:
        return {}
    result = await session.execute(
        select(MoodEntry.user_id, MoodEntry.score)
        .where(among(session, MoodEntry.user_id, user_ids), MoodEntry.created_at >= since)
        .order_by(MoodEntry.created_at.desc(), MoodEntry.id.desc())
    )
    scores: dict[int, list[int]] = {}
    for user_id, score in result.all():
        scores.setdefault(user_id, []).append(score)
    return scores


async def affirmations_seen(
    session: AsyncSession, user_ids: Collection[int], since: datetime
) -> dict[int, dict[str, datetime]]:
    """Affirmation id -> when last seen, since ``since``, per person: the scheduled ones
    from the outbox (their ``content_id``), the asked-for ones from ``affirmations_seen``."""
    if not user_ids:
        return {}
    ids = list(user_ids)
    # A content id is set when a row is claimed for sending. No status condition: it
    # would steer SQLite to the status index and a scan of every claimed row per batch.
    scheduled = select(Delivery.user_id, Delivery.content_id, Delivery.created_at).where(
        among(session, Delivery.user_id, ids),
        Delivery.kind == "affirmation",
        Delivery.content_id.is_not(None),
        Delivery.created_at >= since,
    )
    asked = select(
        AffirmationSeen.user_id, AffirmationSeen.affirmation_id, AffirmationSeen.seen_at
    ).where(among(session, AffirmationSeen.user_id, ids), AffirmationSeen.seen_at >= since)
    seen: dict[int, dict[str, datetime]] = {}
    for query in (scheduled, asked):
        rows = cast(Sequence[tuple[int, str, datetime]], (await session.execute(query)).all())
        for user_id, affirmation_id, seen_at in rows:  # content ids IS NOT NULL
            mine = seen.setdefault(user_id, {})
            if affirmation_id not in mine or mine[affirmation_id] < seen_at:
                mine[affirmation_id] = seen_at
    return seen


async def asked_since(session: AsyncSession, user_id: int, since: datetime) -> int:
    """How many affirmations the person asked for (/affirmation) since ``since``."""
    count = await session.scalar(
        select(func.count())
        .select_from(AffirmationSeen)
        .where(AffirmationSeen.user_id == user_id, AffirmationSeen.seen_at >= since)
    )
    return int(count or 0)


async def record_seen(session: AsyncSession, rows: Iterable[tuple[int, str, datetime]]) -> None:
    """Remember affirmations shown on request (scheduled ones are in the outbox)."""
    values = [{"user_id": u, "affirmation_id": a, "seen_at": t} for u, a, t in rows]
    if values:
        # The table, not the mapped class: a plain executemany, without ORM bulk handling.
        await session.execute(insert(AffirmationSeen.__table__), values)  # type: ignore[arg-type]


async def last_content(
    session: AsyncSession, user_ids: Collection[int], kind: str, since: datetime
) -> dict[int, str]:
    """Per person, the content id of their latest ``kind`` delivery created since
    ``since`` whose words were chosen (so the next one can differ)."""
    if not user_ids:
        return {}
    result = await session.execute(
        select(Delivery.user_id, Delivery.content_id)
        .where(
            among(session, Delivery.user_id, user_ids),
            Delivery.kind == kind,
            Delivery.content_id.is_not(None),
            Delivery.created_at >= since,
        )
        .order_by(Delivery.local_date, Delivery.id)
    )
    rows = cast(Sequence[tuple[int, str]], result.all())  # content_id IS NOT NULL above
    return {user_id: content_id for user_id, content_id in rows}


async def due_schedules_after(
    session: AsyncSession, now: datetime, after_id: int, limit: int
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Enabled schedules due at ``now``, with what decides whether to send and the
    person's platform, in id order from ``after_id`` (exclusive): for a pass that moves
    no schedule (``dispatch --now`` in the future), which pages by id
    since the due rows stay due."""
    result = await session.execute(
        _due(now)
        .add_columns(User.platform)
        .where(Schedule.id > after_id)
        .order_by(Schedule.id)
        .limit(limit)
    )
    return result.all()
