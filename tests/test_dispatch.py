"""Scheduler passes (core/delivery.py, core/outbox.py) on a real SQLite file, with an
injected clock and an outlet that records what it was asked to send."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from core import affirmations, outbox
from core.delivery import Dispatcher
from core.messages import RateLimited, RecipientUnreachable, Reply
from core.outbox import DeliverySettings
from storage.database import Database
from storage.models import AffirmationSeen, Delivery, FeedbackRequest, Schedule, User
from storage.repositories import users
from tests.conftest import FakeClock
from tests.harness import Chat


class RecordingOutlet:
    """Sends nothing; remembers every (user, kind, local date, text) it was given."""

    def __init__(self, platform: str = "terminal") -> None:
        self.platform = platform
        self.sent: list[tuple[str, str, str, str]] = []
        self.calls = 0
        self.blocked: set[str] = set()
        self.failures: list[BaseException] = []

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        self.calls += 1
        if user_id in self.blocked:
            raise RecipientUnreachable("blocked")
        if self.failures:
            raise self.failures.pop(0)
        for reply in replies:
            self.sent.append((user_id, reply.meta["kind"], reply.meta["local_date"], reply.text))

    def kinds(self, user: str = "alice") -> list[str]:
        return [kind for u, kind, _, _ in self.sent if u == user]


@pytest.fixture
def outlet() -> RecordingOutlet:
    return RecordingOutlet()


@pytest.fixture
def dispatcher(db: Database, clock: FakeClock, outlet: RecordingOutlet) -> Dispatcher:
    return Dispatcher(db, [outlet], clock=clock, settings=DeliverySettings())


async def _user(db: Database, external_id: str = "alice") -> User:
    async with db.read() as session:
        user = await users.find(session, "terminal", external_id)
        assert user is not None
        return user


async def _outbox(db: Database) -> list[Delivery]:
    async with db.read() as session:
        return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


async def _due(db: Database, kind: str = "affirmation") -> datetime | None:
    async with db.read() as session:
        return await session.scalar(select(Schedule.next_due_at).where(Schedule.kind == kind))


async def _set_up(chat: Chat, zone: str, *commands: str) -> None:
    await chat.send(f"/timezone {zone}")
    for command in commands:
        await chat.send(command)


# -- zones on both sides of UTC and of the date line --------------------------------


@pytest.mark.parametrize(
    "zone",
    ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "America/Los_Angeles", "UTC"],
)
async def test_affirmation_arrives_at_local_time(chat, clock, dispatcher, outlet, db, zone):
    await _set_up(chat, zone, "/affirmations 09:00")
    local_now = clock.now.astimezone(ZoneInfo(zone))
    day = local_now.date() + timedelta(days=1 if local_now.hour >= 9 else 0)
    expected = datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo(zone))
    assert await _due(db) == expected.astimezone(UTC)

    await dispatcher.run_pass(expected.astimezone(UTC) - timedelta(minutes=1))
    assert outlet.sent == []
    await dispatcher.run_pass(expected.astimezone(UTC))
    assert [(k, d) for _, k, d, _ in outlet.sent] == [("affirmation", day.isoformat())]
    # The next one is the following local day at 09:00, whatever the offset.
    following = datetime.combine(day + timedelta(days=1), expected.timetz())
    assert await _due(db) == following.astimezone(UTC)


async def test_both_sides_of_the_date_line_in_one_pass(new_chat, clock, dispatcher, outlet, db):
    # 2026-03-02 10:00 UTC: Tuesday 00:00 in Kiritimati (UTC+14), Sunday 23:00 in Pago Pago.
    await _set_up(new_chat("kiri"), "Pacific/Kiritimati", "/affirmations 09:00")
    await _set_up(new_chat("pago"), "Pacific/Pago_Pago", "/affirmations 09:00")
    await dispatcher.run_pass(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    assert sorted((u, d) for u, _, d, _ in outlet.sent) == [
        ("kiri", "2026-03-03"),  # 09:00 Tuesday in Kiritimati was 19:00 UTC Monday
        ("pago", "2026-03-02"),  # 09:00 Monday in Pago Pago is 20:00 UTC Monday
    ]


# -- daylight saving --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local_time", "when", "expected_utc"),
    [
        # Europe: 02:30 does not exist on 29 March 2026: sent at 03:30 CEST.
        ("Europe/Berlin", "02:30", datetime(2026, 3, 28, 12, tzinfo=UTC), (2026, 3, 29, 1, 30)),
        # US: 02:30 does not exist on 8 March 2026: sent at 03:30 EDT.
        ("America/New_York", "02:30", datetime(2026, 3, 7, 12, tzinfo=UTC), (2026, 3, 8, 7, 30)),
    ],
)
async def test_spring_forward_sends_once_after_the_gap(
    chat, clock, dispatcher, outlet, db, zone, local_time, when, expected_utc
):
    clock.now = when
    await _set_up(chat, zone, f"/affirmations {local_time}")
    due = datetime(*expected_utc, tzinfo=UTC)
    assert await _due(db) == due
    await dispatcher.run_pass(due - timedelta(seconds=1))
    await dispatcher.run_pass(due)
    await dispatcher.run_pass(due + timedelta(hours=1))
    assert [d for _, _, d, _ in outlet.sent] == [due.astimezone(ZoneInfo(zone)).date().isoformat()]


@pytest.mark.parametrize(
    ("zone", "local_time", "when", "first", "second"),
    [
        # Europe: 02:30 happens twice on 25 October 2026 (CEST, then CET).
        (
            "Europe/Berlin",
            "02:30",
            datetime(2026, 10, 24, 12, tzinfo=UTC),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        ),
        # US: 01:30 happens twice on 1 November 2026 (EDT, then EST).
        (
            "America/New_York",
            "01:30",
            datetime(2026, 10, 31, 12, tzinfo=UTC),
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
            datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
        ),
    ],
)
async def test_fall_back_sends_once_at_the_first_occurrence(
    chat, clock, dispatcher, outlet, db, zone, local_time, when, first, second
):
    clock.now = when
    await _set_up(chat, zone, f"/affirmations {local_time}")
    assert await _due(db) == first
    await dispatcher.run_pass(first)
    await dispatcher.run_pass(second)
    await dispatcher.run_pass(second + timedelta(minutes=30))
    assert len(outlet.sent) == 1
    # The day after, the same wall-clock time in the new offset.
    next_day = datetime.combine(first.astimezone(ZoneInfo(zone)).date(), datetime.min.time())
    following = datetime.combine(
        next_day.date() + timedelta(days=1),
        datetime.strptime(local_time, "%H:%M").time(),
        tzinfo=ZoneInfo(zone),
    )
    assert await _due(db) == following.astimezone(UTC)
    await dispatcher.run_pass(following.astimezone(UTC))
    assert len(outlet.sent) == 2


# -- once, whatever happens -------------------------------------------------------------


async def test_two_passes_at_the_same_instant_send_once(chat, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/affirmations 09:00", "/checkins daily 09:00")
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    first = await dispatcher.run_pass(at)
    second = await dispatcher.run_pass(at)
    assert sorted(outlet.kinds()) == ["affirmation", "checkin"]
    assert (first.sent, second.sent, second.planned) == (2, 0, 0)


async def test_two_workers_on_one_database_send_once(chat, db_url, db, clock):
    await _set_up(chat, "UTC", "/affirmations 09:00", "/checkins daily 09:00")
    other_db = Database(db_url)
    try:
        outlets = [RecordingOutlet(), RecordingOutlet()]
        workers = [
            Dispatcher(db, [outlets[0]], clock=clock),
            Dispatcher(other_db, [outlets[1]], clock=clock),
        ]
        at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
        await asyncio.gather(*(w.run_pass(at) for w in workers))
    finally:
        await other_db.dispose()
    assert sorted(outlets[0].kinds() + outlets[1].kinds()) == ["affirmation", "checkin"]


async def test_a_crash_between_claim_and_send_neither_loses_nor_repeats(chat, clock, db, outlet):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    settings = DeliverySettings(claim_timeout=timedelta(minutes=10))
    # The worker plans and claims, then dies before sending anything.
    await outbox.plan(db, at, settings)
    claimed = await outbox.claim(db, ["terminal"], at, settings)
    assert len(claimed.parcels) == 1
    [row] = await _outbox(db)
    assert row.status == "sending" and row.text == claimed.parcels[0].text

    # A restarted worker at the same instant: the claim may still be live; no copy.
    restarted = Dispatcher(db, [outlet], clock=clock, settings=settings)
    await restarted.run_pass(at + timedelta(minutes=1))
    assert outlet.sent == []
    # Once the claim has timed out, the same words go out, once.
    await restarted.run_pass(at + timedelta(minutes=11))
    await restarted.run_pass(at + timedelta(minutes=12))
    assert [t for _, _, _, t in outlet.sent] == [claimed.parcels[0].text]
    [row] = await _outbox(db)
    assert (row.status, row.attempts) == ("sent", 2)


async def test_three_days_down_then_one_pass_sends_one_per_kind(
    chat, clock, dispatcher, outlet, db
):
    await _set_up(chat, "Asia/Kolkata", "/affirmations 09:00", "/checkins daily 09:30")
    # Back on Friday at 10:00 in Kolkata (04:30 UTC): today's two, nothing from before.
    await dispatcher.run_pass(datetime(2026, 3, 6, 4, 30, tzinfo=UTC))
    assert sorted((k, d) for _, k, d, _ in outlet.sent) == [
        ("affirmation", "2026-03-06"),
        ("checkin", "2026-03-06"),
    ]
    assert await _due(db) == datetime(2026, 3, 7, 3, 30, tzinfo=UTC)


async def test_later_than_the_grace_window_skips_the_day(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    await dispatcher.run_pass(datetime(2026, 3, 3, 15, 1, tzinfo=UTC))  # 6 h 1 min late
    assert outlet.sent == []
    assert await _due(db) == datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    await dispatcher.run_pass(datetime(2026, 3, 3, 14, 59, tzinfo=UTC))
    assert outlet.sent == []


async def test_rows_waiting_for_another_platform_expire(chat, clock, db):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    telegram_only = RecordingOutlet("telegram")
    await Dispatcher(db, [telegram_only], clock=clock).run_pass(at)
    assert [r.status for r in await _outbox(db)] == ["pending"]  # planned, not sendable here
    late = RecordingOutlet()
    report = await Dispatcher(db, [late], clock=clock).run_pass(at + timedelta(hours=7))
    assert late.sent == [] and report.expired == 1
    assert [r.status for r in await _outbox(db)] == ["skipped"]


async def test_the_same_local_date_is_sent_once_even_after_a_change(
    chat, clock, dispatcher, outlet, db
):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    await dispatcher.run_pass(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    clock.now = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    await chat.send("/affirmations 10:00")  # later the same day
    await dispatcher.run_pass(datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    assert outlet.kinds() == ["affirmation"]


# -- who gets nothing ---------------------------------------------------------------------


async def test_blocked_then_writes_again(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    outlet.blocked.add("alice")
    report = await dispatcher.run_pass(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert report.unreachable == 1
    assert (await _user(db)).unreachable_at is not None
    calls = outlet.calls
    await dispatcher.run_pass(datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    assert outlet.calls == calls  # no retry against a refusal

    outlet.blocked.clear()
    clock.now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    await chat.send("hi again")
    assert (await _user(db)).unreachable_at is None
    await dispatcher.run_pass(datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    assert [d for _, _, d, _ in outlet.sent] == ["2026-03-05"]


async def test_pause_and_resume(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    await chat.send("/pause 2")  # Monday 10:00 until Wednesday 10:00
    await dispatcher.run_pass(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    await dispatcher.run_pass(datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    assert outlet.sent == []
    await dispatcher.run_pass(datetime(2026, 3, 5, 9, 0, tzinfo=UTC))  # the pause is over
    assert [d for _, _, d, _ in outlet.sent] == ["2026-03-05"]

    clock.now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    await chat.send("/pause")
    await chat.press("Until I resume")
    await dispatcher.run_pass(datetime(2026, 3, 6, 9, 0, tzinfo=UTC))
    assert len(outlet.sent) == 1
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    await chat.send("/resume")
    assert "on again" in chat.text
    await dispatcher.run_pass(datetime(2026, 3, 7, 9, 0, tzinfo=UTC))
    assert [d for _, _, d, _ in outlet.sent] == ["2026-03-05", "2026-03-07"]


async def test_crisis_window_holds_checkins_not_affirmations(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/affirmations 09:00", "/checkins daily 18:00")
    async with db.write() as session:
        await session.execute(update(User).values(crisis_at=clock.now))
    await dispatcher.run_pass(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    await dispatcher.run_pass(datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
    assert outlet.kinds() == ["affirmation"]
    # 72 hours later the check-ins come back.
    await dispatcher.run_pass(datetime(2026, 3, 5, 18, 0, tzinfo=UTC))
    assert outlet.kinds() == ["affirmation", "checkin"]


# -- platform answers ----------------------------------------------------------------------


async def test_rate_limit_is_honoured_and_the_message_still_goes(
    chat, clock, dispatcher, outlet, db
):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    outlet.failures.append(RateLimited(0.2))
    loop = asyncio.get_running_loop()
    started = loop.time()
    report = await dispatcher.run_pass(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert loop.time() - started >= 0.2
    assert (report.sent, outlet.calls) == (1, 2)


async def test_other_errors_retry_next_pass_then_give_up(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    outlet.failures.extend([ConnectionError("down")] * 5)
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    for minute in range(4):
        await dispatcher.run_pass(at + timedelta(minutes=minute))
    assert outlet.sent == [] and outlet.calls == 3
    [row] = await _outbox(db)
    assert (row.status, row.attempts) == ("failed", 3)


# -- the words ------------------------------------------------------------------------------


async def test_checkin_mentions_a_feedback_request_left_unanswered(
    chat, clock, dispatcher, outlet, db
):
    await _set_up(chat, "UTC", "/checkins daily 18:00")
    user = await _user(db)
    async with db.write() as session:
        session.add(
            FeedbackRequest(
                user_id=user.id,
                company="Acme",
                status="sent",
                remind=True,
                created_at=clock.now - timedelta(days=8),
            )
        )
    await dispatcher.run_pass(datetime(2026, 3, 2, 18, 0, tzinfo=UTC))
    [(_, kind, _, text)] = outlet.sent
    assert kind == "checkin" and "Acme" in text and "applied anywhere" in text
    await dispatcher.run_pass(datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
    [_, (_, kind, _, text)] = outlet.sent
    assert kind == "checkin" and "Acme" not in text  # mentioned once, not every time


async def test_no_affirmation_repeats_within_thirty_days(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/affirmations 09:00")
    for day in range(30):
        await dispatcher.run_pass(datetime(2026, 3, 3, 9, 0, tzinfo=UTC) + timedelta(days=day))
    texts = [t for _, _, _, t in outlet.sent]
    assert len(texts) == 30 and len(set(texts)) == 30
    assert {r.local_date for r in await _outbox(db)} == {
        date(2026, 3, 3) + timedelta(days=d) for d in range(30)
    }


async def test_weekday_checkins_never_repeat_their_opening(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "UTC", "/checkins weekdays 18:00")
    for day in range(10):
        await dispatcher.run_pass(datetime(2026, 3, 2, 18, 0, tzinfo=UTC) + timedelta(days=day))
    openings = [text.split("\n\n")[0] for _, kind, _, text in outlet.sent if kind == "checkin"]
    assert len(openings) == 8  # two weeks of weekdays, from Monday
    assert len(set(openings)) == 8


async def test_the_scheduled_affirmation_knows_the_local_hour(chat, clock, dispatcher, outlet, db):
    await _set_up(chat, "Asia/Kolkata", "/affirmations 08:00")
    user = await _user(db)
    async with db.write() as session:
        for a in affirmations.catalogue():
            if a.time != "evening":  # only evening texts are left unseen
                session.add(
                    AffirmationSeen(user_id=user.id, affirmation_id=a.id, seen_at=clock.now)
                )
    await dispatcher.run_pass(datetime(2026, 3, 3, 2, 30, tzinfo=UTC))  # 08:00 in Kolkata
    [(_, kind, _, text)] = outlet.sent
    evening = {a.text for a in affirmations.catalogue() if a.time == "evening"}
    assert kind == "affirmation" and text not in evening
