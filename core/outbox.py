"""The database side of a scheduler pass: due schedules become outbox rows, outbox rows
are claimed and given their words. Sending is core/delivery.py's job.

Each step is one short write transaction over a batch of rows, never a network call.

- ``plan``: every enabled schedule whose ``next_due_at`` has come gets an outbox row for
  the local date of its latest occurrence (unique per person, kind and local date, so a
  second pass or a second worker adds nothing), unless that occurrence is older than the
  grace window or the person is paused, unreachable or (for check-ins) in the crisis
  window. Either way ``next_due_at`` moves to the next occurrence after now: missed days
  are skipped, never sent as a backlog.
- ``claim``: pending rows (or rows whose claim expired: the worker died) become
  ``sending``, get their text (chosen once: a retry resends the same words) and are
  returned as ``Parcel`` objects to send.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core import affirmations, checkins, summary
from core.messages import Reply
from core.recurrence import latest_occurrence, local_date, next_occurrence
from storage.database import Database
from storage.models import User
from storage.repositories import deliveries, feedback

logger = logging.getLogger(__name__)

CRISIS_PAUSED_KINDS = frozenset({"checkin", "summary"})
"""Kinds held back during the crisis window; affirmations keep coming."""
FEEDBACK_WAIT = timedelta(days=7)
FEEDBACK_HORIZON = timedelta(days=30)
OPENING_MEMORY = timedelta(days=15)
"""How far back the last check-in opening is looked up (check-ins are at most a week apart)."""


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    grace: timedelta = timedelta(hours=6)
    """How late a pass may still send today's message."""
    crisis_pause: timedelta = timedelta(hours=72)
    claim_timeout: timedelta = timedelta(minutes=10)
    """A ``sending`` row older than this belongs to a worker that died: claim it again."""
    plan_batch: int = 5000
    claim_batch: int = 900
    max_attempts: int = 3


@dataclass(frozen=True, slots=True)
class Parcel:
    """One claimed delivery, ready to send."""

    id: int
    user_id: int
    platform: str
    external_id: str
    kind: str
    local_date: date
    text: str
    attempts: int

    def replies(self) -> list[Reply]:
        meta = {"kind": self.kind, "local_date": self.local_date.isoformat()}
        buttons = checkins.buttons("applied") if self.kind == "checkin" else ()
        personal = self.kind != "affirmation"
        return [Reply(self.text, buttons, personal=personal, meta=meta)]


@dataclass(slots=True)
class Claimed:
    parcels: list[Parcel] = field(default_factory=list)
    skipped: int = 0


def hold_reason(
    kind: str,
    now: datetime,
    settings: DeliverySettings,
    *,
    paused_until: datetime | None,
    crisis_at: datetime | None,
    unreachable_at: datetime | None,
) -> str | None:
    """Why this person gets no ``kind`` message now, or None."""
    if unreachable_at is not None:
        return "unreachable"
    if paused_until is not None and paused_until > now:
        return "paused"
    if kind in CRISIS_PAUSED_KINDS and crisis_at is not None:
        if now - crisis_at < settings.crisis_pause:
            return "crisis"
    return None


def held(row: Any, now: datetime, settings: DeliverySettings) -> bool:
    """Whether a schedule or outbox row (joined with its person) is held back now."""
    reason = hold_reason(
        row.kind,
        now,
        settings,
        paused_until=row.paused_until,
        crisis_at=row.crisis_at,
        unreachable_at=row.unreachable_at,
    )
    return reason is not None


# -- plan -----------------------------------------------------------------------------


async def plan(db: Database, now: datetime, settings: DeliverySettings) -> int:
    """Turn every schedule due at ``now`` into an outbox row; returns rows offered."""
    offered = 0
    occurrences: dict[
        tuple[str, str, str], tuple[datetime | None, date | None, datetime | None]
    ] = {}
    while True:
        async with db.write() as session:
            rows = await deliveries.due_schedules(session, now, settings.plan_batch)
            if not rows:
                return offered
            pending, moves = [], []
            for row in rows:
                key = (row.local_time, row.days, row.timezone)
                if key not in occurrences:  # many people share a zone and a time
                    occurrences[key] = _occurrences(*key, now)
                due, day, following = occurrences[key]
                entry = _plan_one(row, due, day, now, settings)
                if entry is not None:
                    pending.append(entry)
                moves.append({"id": row.id, "next_due_at": following})
            await deliveries.add_pending(session, pending)
            await deliveries.move_schedules(session, moves)
            offered += len(pending)
        if len(rows) < settings.plan_batch:
            return offered


def _occurrences(
    local_time: str, days: str, zone: str, now: datetime
) -> tuple[datetime | None, date | None, datetime | None]:
    """(the latest occurrence at or before now, its local date, the next one after now)."""
    due = latest_occurrence(local_time, days, zone, now)
    return (
        due,
        None if due is None else local_date(due, zone),
        next_occurrence(local_time, days, zone, now),
    )


def _plan_one(
    row: Any, due: datetime | None, day: date | None, now: datetime, settings: DeliverySettings
) -> dict[str, Any] | None:
    if due is None or now - due > settings.grace:
        return None
    if held(row, now, settings):
        return None
    return {
        "user_id": row.user_id,
        "kind": row.kind,
        "local_date": day,
        "created_at": now,
    }


async def preview(
    db: Database, now: datetime, settings: DeliverySettings, platforms: Collection[str]
) -> tuple[int, int]:
    """Plan at ``now`` for people on ``platforms`` only, moving no schedule.

    For ``dispatch --now`` at an instant the running bot has not reached: the outbox
    rows of ``platforms`` (the terminal chat, whose deliveries the command prints) are
    added as usual, unique per person, kind and local date, so a repeated preview prints
    nothing twice; nobody's ``next_due_at`` changes, so the live schedule carries on.
    Returns (rows offered, rows it would have offered to people on other platforms).
    """
    offered = withheld = 0
    after = 0
    occurrences: dict[
        tuple[str, str, str], tuple[datetime | None, date | None, datetime | None]
    ] = {}
    while True:
        async with db.write() as session:
            rows = await deliveries.due_schedules_after(session, now, after, settings.plan_batch)
            pending = []
            for row in rows:
                key = (row.local_time, row.days, row.timezone)
                if key not in occurrences:
                    occurrences[key] = _occurrences(*key, now)
                due, day, _ = occurrences[key]
                entry = _plan_one(row, due, day, now, settings)
                if entry is None:
                    continue
                if row.platform in platforms:
                    pending.append(entry)
                else:
                    withheld += 1
            await deliveries.add_pending(session, pending)
            offered += len(pending)
        if len(rows) < settings.plan_batch:
            return offered, withheld
        after = rows[-1].id


# -- claim ----------------------------------------------------------------------------


async def expire(db: Database, now: datetime, settings: DeliverySettings) -> int:
    async with db.write() as session:
        return await deliveries.expire(session, now - settings.grace, now - settings.claim_timeout)


async def claim(
    db: Database,
    platforms: Collection[str],
    now: datetime,
    settings: DeliverySettings,
    *,
    limit: int | None = None,
    rng: random.Random | None = None,
) -> Claimed:
    """Claim a batch of sendable rows for ``platforms`` and fill in their words."""
    claimed = Claimed()
    async with db.write() as session:
        rows = await deliveries.claim(
            session,
            platforms,
            now,
            fresh_since=now - settings.grace,
            reclaim_before=now - settings.claim_timeout,
            limit=limit or settings.claim_batch,
        )
        if not rows:
            return claimed
        outcomes, ready = [], []
        for row in rows:
            if held(row, now, settings):
                outcomes.append(_skip(row.id))
            else:
                ready.append(row)
        texts = await _compose(session, [r for r in ready if r.text is None], now, rng)
        contents = [
            {"id": i, "text": t, "content_id": c} for i, (t, c) in texts.items() if t is not None
        ]
        await deliveries.fill(session, contents)
        for row in ready:
            text = row.text if row.text is not None else texts.get(row.id, (None, None))[0]
            if text is None:
                outcomes.append(_skip(row.id))
                continue
            claimed.parcels.append(
                Parcel(
                    id=row.id,
                    user_id=row.user_id,
                    platform=row.platform,
                    external_id=row.external_id,
                    kind=row.kind,
                    local_date=row.local_date,
                    text=text,
                    attempts=row.attempts + 1,
                )
            )
        await deliveries.finish(session, outcomes)
        claimed.skipped = len(outcomes)
    return claimed


def _skip(delivery_id: int) -> dict[str, Any]:
    return {"id": delivery_id, "status": deliveries.SKIPPED}


async def _compose(
    session: Any, rows: Sequence[Any], now: datetime, rng: random.Random | None
) -> dict[int, tuple[str | None, str | None]]:
    """Delivery id -> (text, content id); a text of None means: nothing to send."""
    texts: dict[int, tuple[str | None, str | None]] = {}
    by_kind: dict[str, list[Any]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    if "affirmation" in by_kind:
        texts.update(await _affirmations(session, by_kind.pop("affirmation"), now, rng))
    if "checkin" in by_kind:
        texts.update(await _checkins(session, by_kind.pop("checkin"), now))
    if "summary" in by_kind:
        texts.update(await _summaries(session, by_kind.pop("summary"), now))
    for kind, unknown in by_kind.items():
        logger.warning("no words for scheduled kind %r; %d skipped", kind, len(unknown))
        texts.update({row.id: (None, None) for row in unknown})
    return texts


async def _affirmations(
    session: Any, rows: Sequence[Any], now: datetime, rng: random.Random | None
) -> dict[int, tuple[str | None, str | None]]:
    ids = {row.user_id for row in rows}
    moods = await deliveries.recent_moods(session, ids, now - affirmations.MOOD_WINDOW)
    seen = await deliveries.affirmations_seen(session, ids, now - affirmations.NO_REPEAT)
    texts: dict[int, tuple[str | None, str | None]] = {}
    for row in rows:
        hour = now.astimezone(ZoneInfo(row.timezone)).hour
        chosen = affirmations.choose(
            moods.get(row.user_id, []), seen.get(row.user_id, {}), rng, hour=hour
        )
        seen.setdefault(row.user_id, {})[chosen.id] = now
        # The choice is remembered as the outbox row's content_id (filled by the claim).
        texts[row.id] = (chosen.text, chosen.id)
    return texts


async def _checkins(
    session: Any, rows: Sequence[Any], now: datetime
) -> dict[int, tuple[str | None, str | None]]:
    ids = {row.user_id for row in rows}
    # Marks each request mentioned, so a check-in names it once (same transaction).
    waiting = await feedback.take_reminders(
        session, ids, asked_before=now - FEEDBACK_WAIT, since=now - FEEDBACK_HORIZON
    )
    previous = await deliveries.last_content(session, ids, "checkin", now - OPENING_MEMORY)
    texts: dict[int, tuple[str | None, str | None]] = {}
    for row in rows:
        opening = checkins.opening_for(row.user_id, row.local_date, previous.get(row.user_id))
        company = waiting.get(row.user_id)
        texts[row.id] = (checkins.message(opening, company), opening.id)
    return texts


async def _summaries(
    session: Any, rows: Sequence[Any], now: datetime
) -> dict[int, tuple[str | None, str | None]]:
    """The toolkit's weekly summary (core/summary.py); nothing when there is nothing to say."""
    texts: dict[int, tuple[str | None, str | None]] = {}
    for row in rows:
        user = await session.get(User, row.user_id)
        text = await summary.weekly_summary(session, user, now) if user is not None else None
        texts[row.id] = (text or None, "weekly-summary")
    return texts
