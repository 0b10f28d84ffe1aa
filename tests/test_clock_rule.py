"""The clock rule (core/clock_rule.py, ``dispatch --now``): one pass with a wrong clock
never silences everyone. Replays the two cases of issue 18 against a live database:
``dispatch --now 2031-01-01`` and a clock 36 h ahead for one pass; every real day is
still delivered once to every person."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.dispatch import run_once
from bot.settings import Settings
from core.clock_rule import ClockRule
from core.delivery import Dispatcher
from core.dialog import EngineSettings
from core.dialogs import all_dialogs
from core.engine import Engine
from core.outbox import DeliverySettings
from storage.database import Database
from storage.models import Delivery, Schedule
from tests.harness import Chat
from tests.test_dispatch import RecordingOutlet

ZONES = {"ana": "UTC", "ben": "Asia/Kolkata", "cai": "America/Los_Angeles"}
PASS_EVERY = timedelta(hours=1)
DAYS = 6


class Host:
    """The real time of the replay; ``glitch`` puts the host's clock (and so SQLite's,
    which shares it) ahead for the passes in between."""

    def __init__(self, start: datetime) -> None:
        self.real = start
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self.real + self.offset

    async def database(self, _session: object) -> datetime:
        return self()


@pytest.fixture
def host() -> Host:
    # Now-ish, so that the database's own clock (read by ``dispatch``) agrees with it.
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return Host(start)


@pytest.fixture
def live(db: Database, host: Host) -> tuple[Dispatcher, RecordingOutlet]:
    outlet = RecordingOutlet("telegram")
    rule = ClockRule(max_step=timedelta(hours=2), database_clock=host.database)
    return Dispatcher(
        db, [outlet], clock=host, settings=DeliverySettings(), clock_rule=rule
    ), outlet


async def _people(db: Database, host: Host) -> None:
    engine = Engine(db, all_dialogs(), clock=host, settings=EngineSettings())
    for name, zone in ZONES.items():
        chat = Chat(engine, user=name, platform="telegram")
        await chat.send(f"/timezone {zone}")
        await chat.send("/affirmations 09:00")


async def _run_live(dispatcher: Dispatcher, host: Host, until: datetime) -> None:
    while host.real < until:
        host.real += PASS_EVERY
        await dispatcher.run_pass()


def _real_days(name: str, start: datetime, end: datetime) -> list[str]:
    """The local dates whose 09:00 falls in (start, end] for that person."""
    zone = ZoneInfo(ZONES[name])
    first = start.astimezone(zone).date() - timedelta(days=1)
    days = (first + timedelta(days=n) for n in range(DAYS + 3))
    return [
        day.isoformat()
        for day in days
        if start < datetime.combine(day, datetime.min.time(), zone).replace(hour=9) <= end
    ]


def _assert_every_real_day_once(outlet: RecordingOutlet, start: datetime, end: datetime) -> None:
    for name in ZONES:
        got = [d for u, kind, d, _ in outlet.sent if u == name and kind == "affirmation"]
        assert Counter(got) == Counter(_real_days(name, start, end)), name


async def _dues(db: Database) -> list[datetime | None]:
    async with db.read() as session:
        return list((await session.scalars(select(Schedule.next_due_at))).all())


async def test_dispatch_far_ahead_is_a_preview_and_every_real_day_still_arrives(
    db: Database, db_url: str, host: Host, live, capsys, backend
):
    dispatcher, outlet = live
    await _people(db, host)
    start = host.real
    await _run_live(dispatcher, host, start + timedelta(days=1))
    dues = await _dues(db)

    # The operator tries a date years ahead against the live database (10:00 UTC: the
    # UTC person's 09:00 is within the grace window, the others' are not).
    settings = Settings(_env_file=None, database_url=db_url)  # type: ignore[call-arg]
    await run_once(settings, datetime(2031, 1, 1, 10, 0, tzinfo=UTC), as_json=True)
    note = capsys.readouterr().err
    assert "preview" in note and "--commit" in note
    assert "1 Telegram/Discord deliveries not queued" in note
    assert await _dues(db) == dues  # no live schedule moved
    async with db.read() as session:
        assert not (
            await session.scalars(select(Delivery).where(Delivery.status == "pending"))
        ).all()

    await _run_live(dispatcher, host, start + timedelta(days=DAYS))
    _assert_every_real_day_once(outlet, start, host.real)
    assert all(not d.startswith("2031") for _, _, d, _ in outlet.sent)


async def test_dispatch_far_ahead_with_commit_moves_the_schedules(db, db_url, host, capsys):
    await _people(db, host)
    settings = Settings(_env_file=None, database_url=db_url)  # type: ignore[call-arg]
    await run_once(settings, datetime(2031, 1, 1, tzinfo=UTC), as_json=True, commit=True)
    assert capsys.readouterr().err == ""
    assert all(due is not None and due.year == 2031 for due in await _dues(db))


async def test_preview_prints_terminal_deliveries_once(db, db_url, host, capsys):
    engine = Engine(db, all_dialogs(), clock=host, settings=EngineSettings())
    await Chat(engine, user="sam").send("/affirmations 09:00")
    settings = Settings(_env_file=None, database_url=db_url)  # type: ignore[call-arg]
    when = datetime(2031, 1, 1, 9, 0, tzinfo=UTC)
    await run_once(settings, when, as_json=True)
    first = capsys.readouterr().out
    await run_once(settings, when, as_json=True)
    assert '"kind": "affirmation"' in first and '"local_date": "2031-01-01"' in first
    assert capsys.readouterr().out == ""  # delivered once, as before
    assert all(due is not None and due.year < 2031 for due in await _dues(db))


async def test_one_pass_36_hours_ahead_refuses_and_loses_no_day(db, host: Host, live):
    dispatcher, outlet = live
    await _people(db, host)
    start = host.real
    await _run_live(dispatcher, host, start + timedelta(days=1))
    dues = await _dues(db)

    host.offset = timedelta(hours=36)  # the host's clock (SQLite's too) jumps, once
    report = await dispatcher.run_pass()
    host.offset = timedelta(0)
    assert report.refused is not None and "after the last pass" in report.refused
    assert report.planned == 0 and await _dues(db) == dues

    await _run_live(dispatcher, host, start + timedelta(days=DAYS))
    _assert_every_real_day_once(outlet, start, host.real)


async def test_a_pass_far_from_the_database_clock_refuses(db: Database, chat: Chat, caplog):
    await chat.send("/affirmations 09:00")
    dues = await _dues(db)
    ahead = datetime.now(UTC) + timedelta(hours=36)
    dispatcher = Dispatcher(db, [RecordingOutlet()], clock=lambda: ahead, clock_rule=ClockRule())
    report = await dispatcher.run_pass()
    assert report.refused is not None and "ahead of the database's clock" in report.refused
    assert "scheduler pass refused" in caplog.text
    assert await _dues(db) == dues


async def test_downtime_is_believed_when_the_next_pass_confirms_it(db, host: Host, live):
    dispatcher, _ = live
    await _people(db, host)
    await _run_live(dispatcher, host, host.real + timedelta(hours=2))
    host.real += timedelta(days=2)  # the bot was off; the clock is right
    assert (await dispatcher.run_pass()).refused is not None
    host.real += timedelta(seconds=30)
    report = await dispatcher.run_pass()
    assert report.refused is None
    assert all(due is not None and due > host.real for due in await _dues(db))
