"""The database side of a scheduler pass: due schedules become outbox rows, outbox rows
are claimed and given their words. Sending is core/delivery.py's job.

Each step is one short write transaction over a batch of rows, never a network call.

- ``plan``: every enabled schedule whose ``next_due_at`` has come gets an outbox row for
  the local date of its latest occurrence (unique per person, kind and local date, so a
  second pass or a second worker adds nothing), unless that occurrence is older than the
  grace window or the person is paused, unreachable or (for check-ins) in the crisis
  window. Either way ``next_due_at`` moves to the next occurrence after now: missed days
  are skipped, never sent as a backlog.
  Set-based: per batch, one ``INSERT ... SELECT`` per local date and one ``UPDATE``
  per next instant; only the batch's ids, times, days and zones come to Python.
- ``claim``: pending rows (or rows whose claim expired: the worker died) become
  ``sending``, get their text (chosen once: a retry resends the same words) and are
  returned as ``Parcel`` objects to send. One ``SELECT`` per batch, the words chosen for
  the whole batch (a few queries per kind, not per row), one ``UPDATE`` that writes
  each row's status and words at once (and one per status for rows that keep theirs).

The words are chosen when a row is claimed, not when it is planned: planning never
holds the rows in Python, the words then reflect the person's latest moods and the
affirmations they asked for since, and nothing is spent on a row that is then held
back (a crisis after planning) or expires unsent. A check-in's words also mark the
feedback requests it mentions: chosen at planning, a check-in skipped later would
have marked them without ever naming them to the person.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core import affirmations, checkins, invites, summary, variety
from core.messages import Button, Reply
from core.recurrence import latest_occurrence, local_date, next_occurrence
from storage.database import Database
from storage.models import User
from storage.repositories import deliveries, feedback, interviews
from storage.repositories import invites as invite_rows

logger = logging.getLogger(__name__)

CRISIS_PAUSED_KINDS = frozenset({"checkin", "summary", "interview"})
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
        return [scheduled_reply(self.kind, self.local_date, self.text, self.id)]


def scheduled_reply(kind: str, day: date, text: str, delivery_id: int | None = None) -> Reply:
    """A scheduled message as a reply, for every kind, sent live or shown later (the
    terminal chat's catch-up): check-ins carry their quick-answer buttons, a friend's
    words (``friend:<id>``) [Keep it] [Not now] [Block this invite]; all are command
    buttons, so they work whenever they are pressed. ``meta`` holds ``kind`` (``friend``
    for a friend's words), ``local_date`` (ISO) and ``delivery_id``."""
    contribution = invites.contribution_id_of(kind)
    meta = {
        "kind": kind if contribution is None else invites.DELIVERY_KIND,
        "local_date": day.isoformat(),
    }
    if delivery_id is not None:
        meta["delivery_id"] = str(delivery_id)
    if contribution is not None:
        buttons = invites.contribution_buttons(contribution)
    elif kind == "checkin":
        buttons = _checkin_buttons()
    else:
        buttons = ()
    return Reply(text, buttons, personal=kind != "affirmation", meta=meta)


@cache
def _checkin_buttons() -> tuple[Button, ...]:
    """A scheduled check-in's quick answers: the same for every check-in (immutable
    buttons), so made once rather than for each of a pass's check-ins."""
    return checkins.buttons("applied")


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
    if row.unreachable_at is None and row.paused_until is None and row.crisis_at is None:
        return False  # most people, most days: nothing to weigh
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
    """Turn every schedule due at ``now`` (UTC-aware) into an outbox row; returns the
    rows added.

    Set-based, one short transaction per ``settings.plan_batch`` schedules: the batch's
    ids and (time, days, zone) are read, each distinct triple's occurrence is worked
    out here once (core/recurrence.py), then per local date one ``INSERT ... SELECT``
    adds the rows of the people not held back (``hold_reason``'s rule as SQL,
    ``deliveries.sendable_now``) and per next instant one ``UPDATE`` moves the
    schedules there. No schedule row is held in Python.
    """
    added = 0
    occurrences: dict[
        tuple[str, str, str], tuple[datetime | None, date | None, datetime | None]
    ] = {}
    crisis_kinds = sorted(CRISIS_PAUSED_KINDS)

    async def batch(session: AsyncSession) -> tuple[int, int]:
        """One batch as one unit of work: (rows added, schedules read)."""
        rows = await deliveries.due_batch(session, now, settings.plan_batch)
        by_key: dict[tuple[str, str, str], list[int]] = {}
        for schedule_id, local_time, days, zone in rows:
            by_key.setdefault((local_time, days, zone), []).append(schedule_id)
        by_day: dict[date, list[int]] = {}
        by_next: dict[datetime | None, list[int]] = {}
        for key, ids in by_key.items():
            if key not in occurrences:  # many people share a zone and a time
                occurrences[key] = _occurrences(*key, now)
            due, day, following = occurrences[key]
            if due is not None and day is not None and now - due <= settings.grace:
                by_day.setdefault(day, []).extend(ids)
            by_next.setdefault(following, []).extend(ids)
        # One statement per local date (two or three at any instant, around the world)
        # and one per next instant, however many times and zones the batch holds.
        planned = 0
        for day, ids in by_day.items():
            planned += await deliveries.plan_pending(
                session,
                ids,
                day,
                now,
                crisis_kinds=crisis_kinds,
                crisis_since=now - settings.crisis_pause,
            )
        for following, ids in by_next.items():
            await deliveries.move_due(session, ids, following)
        return planned, len(rows)

    while True:
        # Database.unit: on SQLite the batch runs on the database thread, its few
        # hundred statements and 5,000 rows read without a trip each to another thread.
        planned, read = await db.unit(batch)
        added += planned
        if read < settings.plan_batch:
            break
    return added + await plan_interviews(db, now, settings)


INTERVIEW = "interview"
LUCK_LATEST = "08:00"
"""The good-luck note goes out at the check-in time or at this local time, whichever is
earlier (an interview is often in the morning); "how did it go?" at the check-in time."""


async def plan_interviews(db: Database, now: datetime, settings: DeliverySettings) -> int:
    """Outbox rows (kind ``interview``) for people with check-ins on: a good-luck note
    on an interview's local date, "how did it go?" the day after. A day already past is
    marked done without sending (no backlog). Returns rows offered."""
    offered = 0
    async with db.write() as session:
        rows = await interviews.awaiting_notes(session, (now - timedelta(days=3)).date())
        pending = []
        for row in rows:
            interview = row.Interview
            local = now.astimezone(ZoneInfo(row.timezone))
            clock = local.strftime("%H:%M")
            day = local.date()
            held_back = hold_reason(
                INTERVIEW,
                now,
                settings,
                paused_until=row.paused_until,
                crisis_at=row.crisis_at,
                unreachable_at=row.unreachable_at,
            )
            note_day = None
            if day == interview.held_on and interview.wished_at is None:
                if clock >= min(row.local_time, LUCK_LATEST):
                    interview.wished_at = now
                    note_day = day
            elif day == interview.held_on + timedelta(days=1):
                interview.wished_at = interview.wished_at or now
                if clock >= row.local_time:
                    interview.asked_at = now
                    note_day = day
            elif day > interview.held_on + timedelta(days=1):
                interview.wished_at = interview.wished_at or now
                interview.asked_at = now
            if note_day is not None and held_back is None:
                pending.append(
                    {
                        "user_id": interview.user_id,
                        "kind": INTERVIEW,
                        "local_date": note_day,
                        "created_at": now,
                    }
                )
        await deliveries.add_pending(session, pending)
        offered += len(pending)
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
    external_ids: Collection[str] | None = None,
) -> Claimed:
    """Claim a batch of sendable rows for ``platforms`` (and only the people
    ``external_ids``, when given) and fill in their words. One unit of work
    (``Database.unit``: on SQLite the whole batch runs on the database thread)."""

    async def work(session: AsyncSession) -> Claimed:
        return await _claim(session, platforms, now, settings, limit, rng, external_ids)

    return await db.unit(work)


async def _claim(
    session: AsyncSession,
    platforms: Collection[str],
    now: datetime,
    settings: DeliverySettings,
    limit: int | None,
    rng: random.Random | None,
    external_ids: Collection[str] | None,
) -> Claimed:
    claimed = Claimed()
    rows = await deliveries.claim(
        session,
        platforms,
        now,
        fresh_since=now - settings.grace,
        reclaim_before=now - settings.claim_timeout,
        limit=limit or settings.claim_batch,
        external_ids=external_ids,
    )
    if not rows:
        return claimed
    skipped: list[int] = []
    retried: list[int] = []
    """Ids of rows claimed again with the words chosen the first time."""
    words: list[tuple[int, str, str | None]] = []
    """(id, text, content id) of rows whose words are chosen now."""
    ready = []
    for row in rows:
        if held(row, now, settings):
            skipped.append(row.id)
        else:
            ready.append(row)
    texts = await _compose(session, [r for r in ready if r.text is None], now, rng)
    for row in ready:
        if row.text is not None:  # a retry: the words chosen the first time
            text = row.text
            retried.append(row.id)
        else:
            text, content_id = texts.get(row.id, (None, None))
            if text is None:
                skipped.append(row.id)
                continue
            words.append((row.id, text, content_id))
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
    await deliveries.settle(
        session,
        now,
        words=words,
        statuses={deliveries.SENDING: retried, deliveries.SKIPPED: skipped},
    )
    claimed.skipped = len(skipped)
    return claimed


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
    if INTERVIEW in by_kind:
        texts.update(await _interview_notes(session, by_kind.pop(INTERVIEW), now))
    friends = [row for kind, rows in by_kind.items() for row in rows if kind.startswith("friend:")]
    if friends:
        texts.update(await _contributions(session, friends))
        by_kind = {k: v for k, v in by_kind.items() if not k.startswith("friend:")}
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
    hours: dict[str, int] = {}
    for row in rows:
        hour = hours.get(row.timezone)
        if hour is None:  # one local hour per zone at this instant
            hour = hours[row.timezone] = now.astimezone(ZoneInfo(row.timezone)).hour
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


async def _interview_notes(
    session: Any, rows: Sequence[Any], now: datetime
) -> dict[int, tuple[str | None, str | None]]:
    """Good luck on the interview's day, "how did it go?" the day after (good_news.toml)."""
    texts: dict[int, tuple[str | None, str | None]] = {}
    for row in rows:
        if await interviews.on_day(session, row.user_id, row.local_date):
            key = "good_news.luck"
        elif await interviews.on_day(session, row.user_id, row.local_date - timedelta(days=1)):
            key = "good_news.how_did_it_go"
        else:
            texts[row.id] = (None, None)
            continue
        texts[row.id] = (await variety.say(session, row.user_id, key, now), key)
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


async def _contributions(
    session: Any, rows: Sequence[Any]
) -> dict[int, tuple[str | None, str | None]]:
    """A friend's words for the person (core/invites.py); nothing once the person has
    already decided about them (from /invite) or the row is gone."""
    ids = {row.id: invites.contribution_id_of(row.kind) for row in rows}
    found = await invite_rows.contributions_by_id(session, [i for i in ids.values() if i])
    texts: dict[int, tuple[str | None, str | None]] = {}
    for delivery_id, contribution_id in ids.items():
        row = found.get(contribution_id or 0)
        if row is None or row.status != invite_rows.PENDING:
            texts[delivery_id] = (None, None)
            continue
        text = invites.contribution_message(row.text, row.note, row.signed)
        texts[delivery_id] = (text, f"contribution:{row.id}")
    return texts
