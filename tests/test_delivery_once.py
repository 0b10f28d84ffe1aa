"""Scheduled messages arrive once: a send whose outcome is unknown is not repeated, one
that provably failed is; a graceful stop repeats nothing. Real PTB against the fake
Bot API (which can answer late), a real SQLite file, the real dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.telegram import TelegramAdapter
from core.delivery import Dispatcher
from core.engine import Engine
from core.messages import Incoming, Reply
from core.outbox import DeliverySettings
from core.pacing import Pace
from storage.database import Database
from storage.models import Delivery
from tests.conftest import FakeClock
from tests.fake_telegram import FakeTelegram
from tests.test_telegram_adapter import TOKEN, USER, settings_for

SETTINGS = DeliverySettings(claim_timeout=timedelta(minutes=10))


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
async def adapter(fake: FakeTelegram, engine: Engine) -> AsyncIterator[TelegramAdapter]:
    telegram = TelegramAdapter(
        settings=settings_for(fake), engine=engine, poll_timeout=1, request_timeout=0.4
    )
    await telegram.start()
    try:
        yield telegram
    finally:
        await telegram.stop()


async def _due_affirmation(engine: Engine, clock: FakeClock, user: int = USER) -> None:
    """A Telegram person whose daily affirmation is due 31 minutes from now."""
    for text in ("/timezone UTC", "/affirmations 10:30"):
        await engine.handle(Incoming("telegram", str(user), text))
    clock.advance(minutes=31)


def _delivered(fake: FakeTelegram, chat: int = USER) -> list[str]:
    """Messages the fake carried out for ``chat`` (refused calls create none)."""
    return [
        c.params["text"]
        for c in fake.calls_to("sendMessage")
        if c.params.get("chat_id") == str(chat) and "_message_id" in c.params
    ]


async def _rows(db: Database) -> list[Delivery]:
    async with db.read() as session:
        return list((await session.scalars(select(Delivery))).all())


async def test_an_answer_after_the_read_timeout_is_not_sent_again(fake, adapter, engine, db, clock):
    await _due_affirmation(engine, clock)
    fake.answer_late("sendMessage", 1.0, times=5)
    dispatcher = Dispatcher(db, [adapter], clock=clock, settings=SETTINGS)

    report = await dispatcher.run_pass()
    assert (report.sent, report.unknown, report.retry) == (1, 1, 0)
    clock.advance(minutes=15)  # past the claim timeout, and the next passes
    for _ in range(3):
        await dispatcher.run_pass()
        clock.advance(minutes=15)

    assert len(_delivered(fake)) == 1
    (row,) = await _rows(db)
    assert (row.status, row.outcome_unknown) == ("sent", True)


async def test_an_error_answer_proves_nothing_went_out_and_is_sent_again(
    fake, adapter, engine, db, clock
):
    await _due_affirmation(engine, clock)
    fake.fail_next("sendMessage", 502, "Bad Gateway")
    dispatcher = Dispatcher(db, [adapter], clock=clock, settings=SETTINGS)

    first = await dispatcher.run_pass()
    assert (first.sent, first.retry) == (0, 1)
    clock.advance(minutes=1)
    second = await dispatcher.run_pass()

    assert second.sent == 1 and len(_delivered(fake)) == 1
    (row,) = await _rows(db)
    assert (row.status, row.outcome_unknown) == ("sent", False)


class SlowOutlet:
    """Takes ``latency`` seconds per message, ``concurrency`` at a time."""

    platform = "terminal"

    def __init__(self, latency: float, signal_after: int) -> None:
        self.latency = latency
        self.delivered: list[str] = []
        self.signal_after = signal_after
        self.reached = asyncio.Event()

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        await asyncio.sleep(self.latency)
        self.delivered.append(user_id)
        if len(self.delivered) >= self.signal_after:
            self.reached.set()


async def test_a_graceful_stop_repeats_nothing_and_loses_nothing(engine, db, clock):
    people = [f"p{n}" for n in range(40)]
    for person in people:
        for text in ("/timezone UTC", "/affirmations 10:30"):
            await engine.handle(Incoming("terminal", person, text))
    clock.advance(minutes=31)
    outlet = SlowOutlet(latency=0.05, signal_after=8)
    paces = {"terminal": Pace(rate=None, concurrency=4)}
    first = Dispatcher(db, [outlet], clock=clock, settings=SETTINGS, paces=paces)

    running = asyncio.create_task(first.run_pass())
    await outlet.reached.wait()
    first.stop()
    stopped = await running
    assert 8 <= stopped.sent < len(people)

    # A new process right away (no claim timeout to wait for): the rest, once each.
    second = Dispatcher(db, [outlet], clock=clock, settings=SETTINGS, paces=paces)
    await second.run_pass()
    assert sorted(outlet.delivered) == sorted(people)
    assert {row.status for row in await _rows(db)} == {"sent"}
