"""Set-based planning (core/outbox.py ``plan``): the outbox rows and next due instants a
pass leaves are what the rule functions say, person by person (core/recurrence.py for
the instants, ``hold_reason`` for who is held back); and the SQL form of the hold rule
(``deliveries.sendable_now``) answers as ``hold_reason`` does on every boundary."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from core import outbox
from core.outbox import CRISIS_PAUSED_KINDS, DeliverySettings, hold_reason
from core.recurrence import latest_occurrence, local_date, next_occurrence
from storage.database import Database
from storage.models import Delivery, Schedule, User
from storage.repositories import deliveries

ZONES = (
    "UTC",
    "America/New_York",  # clocks spring forward at 02:00 local on 2026-03-08
    "America/Havana",  # ... at midnight on 2026-03-08: 00:30 does not exist that day
    "Europe/London",
    "Pacific/Kiritimati",  # UTC+14: a day ahead of
    "Pacific/Pago_Pago",  # UTC-11
    "Asia/Kathmandu",  # UTC+5:45
    "America/St_Johns",  # UTC-3:30, also springs forward on 2026-03-08
)
TIMES = ("00:30", "02:30", "07:00", "09:15", "23:45")
DAYS = ("daily", "daily", "mon,thu", "sun", "sat,sun", "tue,wed,fri")
KINDS = ("affirmation", "checkin", "summary")
START = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)
PASSES = [START + timedelta(minutes=35 * i) for i in range(100)]  # to 2026-03-09 09:45


async def _populate(db: Database, people: int, settings: DeliverySettings) -> None:
    rng = random.Random(17)
    users, schedules = [], []
    for i in range(1, people + 1):
        zone = ZONES[i % len(ZONES)]
        users.append(
            {
                "id": i,
                "platform": "terminal",
                "external_id": f"person-{i}",
                "timezone": zone,
                "onboarded": True,
                "created_at": START - timedelta(days=30),
                "last_seen_at": START - timedelta(days=1),
                "paused_until": rng.choice(
                    [None, None, None, START - timedelta(hours=1), START + timedelta(hours=9)]
                ),
                # some crisis windows end during the passes, some before, some after
                "crisis_at": rng.choice(
                    [
                        None,
                        None,
                        START - settings.crisis_pause + timedelta(hours=5),
                        START - settings.crisis_pause - timedelta(hours=1),
                        START + timedelta(hours=20),
                    ]
                ),
                "unreachable_at": rng.choice([None] * 7 + [START - timedelta(days=2)]),
            }
        )
        for kind in rng.sample(KINDS, rng.randint(1, len(KINDS))):
            local_time, days = rng.choice(TIMES), rng.choice(DAYS)
            # due now, due long ago (past the grace window), or not yet
            since = START - timedelta(hours=rng.choice([1, 2, 10, 30, 80]))
            schedules.append(
                {
                    "user_id": i,
                    "kind": kind,
                    "local_time": local_time,
                    "days": days,
                    "timezone": zone,
                    "enabled": rng.random() > 0.1,
                    "next_due_at": next_occurrence(local_time, days, zone, since),
                }
            )
    async with db.write() as session:
        await session.execute(insert(User), users)
        await session.execute(insert(Schedule), schedules)
        # today's affirmation already in the outbox for one person: it stays as it is
        await session.execute(
            insert(Delivery),
            [
                {
                    "user_id": 1,
                    "kind": "affirmation",
                    "local_date": local_date(START, ZONES[1]),
                    "status": "sent",
                    "attempts": 1,
                    "created_at": START - timedelta(hours=3),
                }
            ],
        )


def _expected(
    schedule: Schedule, person: User, now: datetime, settings: DeliverySettings
) -> tuple[tuple[int, str, object] | None, datetime | None]:
    """(the outbox row the rules ask for or None, the next due instant) for a due schedule."""
    due = latest_occurrence(schedule.local_time, schedule.days, schedule.timezone, now)
    following = next_occurrence(schedule.local_time, schedule.days, schedule.timezone, now)
    if due is None or now - due > settings.grace:
        return None, following
    reason = hold_reason(
        schedule.kind,
        now,
        settings,
        paused_until=person.paused_until,
        crisis_at=person.crisis_at,
        unreachable_at=person.unreachable_at,
    )
    if reason is not None:
        return None, following
    return (schedule.user_id, schedule.kind, local_date(due, schedule.timezone)), following


async def _state(db: Database) -> tuple[list[tuple[Schedule, User]], set[tuple[object, ...]]]:
    async with db.read() as session:
        pairs = (await session.execute(select(Schedule, User).join(User))).all()
        rows = (
            await session.execute(
                select(Delivery.user_id, Delivery.kind, Delivery.local_date, Delivery.status)
            )
        ).all()
    return [(s, u) for s, u in pairs], {tuple(r) for r in rows}


async def test_a_varied_population_gets_what_the_rules_say_pass_after_pass(db: Database) -> None:
    # small batches, so batches cut across zones and times
    settings = DeliverySettings(plan_batch=9)
    await _populate(db, 160, settings)
    offered = held_back = 0
    for now in PASSES:
        schedules, before = await _state(db)
        wanted, moves = set(), {}
        for schedule, person in schedules:
            if not schedule.enabled or schedule.next_due_at is None:
                moves[schedule.id] = schedule.next_due_at
                continue
            if schedule.next_due_at > now:
                moves[schedule.id] = schedule.next_due_at
                continue
            row, moves[schedule.id] = _expected(schedule, person, now, settings)
            if row is not None:
                wanted.add((*row, "pending"))
            else:
                held_back += 1
        added = await outbox.plan(db, now, settings)
        schedules, after = await _state(db)
        new = {row for row in wanted if row[:3] not in {b[:3] for b in before}}
        assert after == before | new, now
        assert added == len(new), now
        assert {s.id: s.next_due_at for s, _ in schedules} == moves, now
        offered += len(new)
    # the population exercised every branch: rows planned, rows held or too late
    assert offered > 200 and held_back > 100


async def test_the_sql_hold_rule_answers_as_hold_reason_on_every_boundary(db: Database) -> None:
    settings = DeliverySettings()
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    tick = timedelta(microseconds=1)
    pauses = [None, now - tick, now, now + tick]
    crises = [
        None,
        now - settings.crisis_pause - tick,
        now - settings.crisis_pause,
        now - settings.crisis_pause + tick,
        now,
    ]
    kinds = sorted(CRISIS_PAUSED_KINDS | {"affirmation", "friend:3"})
    people, schedules, cases = [], [], {}
    for paused_until in pauses:
        for crisis_at in crises:
            for unreachable_at in (None, now - timedelta(days=1)):
                user_id = len(people) + 1
                people.append(
                    {
                        "id": user_id,
                        "platform": "terminal",
                        "external_id": str(user_id),
                        "timezone": "UTC",
                        "created_at": now,
                        "last_seen_at": now,
                        "paused_until": paused_until,
                        "crisis_at": crisis_at,
                        "unreachable_at": unreachable_at,
                    }
                )
                for kind in kinds:
                    schedules.append({"user_id": user_id, "kind": kind, "local_time": "09:00"})
                    cases[(user_id, kind)] = (
                        hold_reason(
                            kind,
                            now,
                            settings,
                            paused_until=paused_until,
                            crisis_at=crisis_at,
                            unreachable_at=unreachable_at,
                        )
                        is None
                    )
    async with db.write() as session:
        await session.execute(insert(User), people)
        await session.execute(
            insert(Schedule), [{**s, "days": "daily", "timezone": "UTC"} for s in schedules]
        )
        sendable = deliveries.sendable_now(
            Schedule.kind,
            now,
            crisis_kinds=CRISIS_PAUSED_KINDS,
            crisis_since=now - settings.crisis_pause,
        )
        found = (
            await session.execute(
                select(Schedule.user_id, Schedule.kind).join(User).where(sendable)
            )
        ).all()
    assert {tuple(row) for row in found} == {case for case, free in cases.items() if free}
    assert 0 < len(found) < len(cases)
