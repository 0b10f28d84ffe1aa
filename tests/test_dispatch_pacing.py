"""Pacing (core/pacing.py) on a virtual clock, and the APScheduler job (bot/scheduler.py)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from itertools import pairwise

from bot.scheduler import DeliveryJob
from bot.settings import Settings
from core.pacing import Pace, Pacer
from tests.test_dispatch import RecordingOutlet


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _pacer(pace: Pace, vt: VirtualTime) -> Pacer:
    return Pacer(pace, rng=random.Random(5), monotonic=vt.monotonic, sleep=vt.sleep)


async def test_overall_rate_holds_with_jitter():
    vt = VirtualTime()
    pacer = _pacer(Pace(rate=25.0, jitter=0.5), vt)
    stamps = []
    for n in range(500):
        await pacer.wait(f"chat{n}")
        stamps.append(vt.now)
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    assert 24.0 <= rate <= 25.5
    gaps = [b - a for a, b in pairwise(stamps)]
    assert len({round(g, 6) for g in gaps}) > 10  # jittered, not lock-step


async def test_one_chat_waits_a_second_between_messages():
    vt = VirtualTime()
    pacer = _pacer(Pace(rate=None, per_chat_interval=1.0), vt)
    await pacer.wait("a")
    await pacer.wait("b")
    assert vt.now == 0.0
    await pacer.wait("a")
    assert vt.now == 1.0
    vt.now = 10.0
    await pacer.wait("c")
    assert len(pacer) == 1  # chats not seen for a second are forgotten


async def test_retry_after_holds_everyone():
    vt = VirtualTime()
    pacer = _pacer(Pace(rate=None), vt)
    pacer.hold(3.0)
    await pacer.wait("x")
    assert vt.now == 3.0


async def test_the_scheduler_job_runs_passes_and_stops(chat, db, clock):
    await chat.send("/affirmations 09:00")
    outlet = RecordingOutlet()
    clock.now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    job = DeliveryJob(db, [outlet], Settings(scheduler_interval_seconds=0.05), clock=clock)
    job.start()
    try:
        for _ in range(100):
            if outlet.sent:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.2)  # more ticks: still one message
    finally:
        await job.stop()
    assert outlet.kinds() == ["affirmation"]
