"""The periodic delivery job: one APScheduler job that runs a scheduler pass every
``SCHEDULER_INTERVAL_SECONDS``, with the running adapters as outlets.

Not one job per person: the database holds every schedule and its next due instant,
so start-up costs nothing per person and a restart loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.settings import Settings
from core import retention
from core.clock_rule import ClockRule
from core.delivery import Dispatcher, PassReport
from core.engine import Clock, utc_now
from core.messages import Outlet
from core.outbox import DeliverySettings
from core.pacing import PACES, Pace
from storage.database import Database

logger = logging.getLogger(__name__)

PASS_BUDGET_SECONDS = 120.0
"""A pass stops claiming after this long, so the next one plans what fell due meanwhile."""


STOP_GRACE_SECONDS = 15.0
"""On stop, sends in flight get this long to finish and be recorded (a Telegram request
times out well within it); then the pass is cancelled."""


def delivery_settings(settings: Settings) -> DeliverySettings:
    """The scheduler's part of the settings (hours and seconds from the environment)."""
    return DeliverySettings(
        grace=timedelta(hours=settings.delivery_grace_hours),
        crisis_pause=timedelta(hours=settings.crisis_pause_hours),
        claim_timeout=timedelta(seconds=settings.delivery_claim_timeout_seconds),
    )


class DeliveryJob:
    """Owns the APScheduler instance; ``stop()`` ends the job and any pass in flight."""

    def __init__(
        self,
        db: Database,
        outlets: Sequence[Outlet],
        settings: Settings,
        *,
        clock: Clock,
        clock_rule: ClockRule | None = None,
        paces: Mapping[str, Pace] = PACES,
    ) -> None:
        """``clock_rule``: checked before every pass plans (``start`` gives the live job
        one); None trusts ``clock``. ``paces``: each platform's pace (bot/platforms.py)."""
        self.dispatcher = Dispatcher(
            db,
            outlets,
            clock=clock,
            settings=delivery_settings(settings),
            pass_budget=PASS_BUDGET_SECONDS,
            clock_rule=clock_rule,
            paces=paces,
        )
        self._db = db
        self._clock = clock
        self._interval = settings.scheduler_interval_seconds
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._current: asyncio.Task[PassReport] | None = None
        self._stopping = False

    def start(self, *, first_run_in: float = 0.0) -> None:
        self._scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self._interval, timezone=UTC),
            id="deliveries",
            next_run_time=datetime.now(UTC) + timedelta(seconds=first_run_in),
            max_instances=2,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._scheduler.start()

    async def tick(self) -> None:
        """One scheduler pass (skipped while the previous one is still sending); then,
        unless the clock rule refused the pass, dialogs left for over a day are
        forgotten (core/retention.py). Never raises: a failure is logged."""
        if self._current is not None and not self._current.done():
            return  # the previous pass is still sending; it will be followed soon enough
        self._current = asyncio.create_task(self.dispatcher.run_pass())
        try:
            report = await self._current
            if report.refused is None:
                await retention.forget_stale_dialogs(self._db, self._clock())
        except asyncio.CancelledError:
            if self._stopping:
                return  # stop() ended the pass; claimed rows went back to pending
            raise
        except Exception:
            logger.exception("scheduler pass failed; the next one will try again")

    async def stop(self) -> None:
        """Graceful (SIGTERM): the pass in flight claims nothing more, finishes and records
        its sends in flight, and puts the rest back to pending, so nothing is repeated.
        Cancelled only if that takes longer than ``STOP_GRACE_SECONDS``."""
        self._stopping = True
        self._scheduler.shutdown(wait=False)
        self.dispatcher.stop()
        if self._current is not None and not self._current.done():
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._current), STOP_GRACE_SECONDS)
        if self._current is not None and not self._current.done():
            self._current.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._current


async def start(
    db: Database,
    outlets: Sequence[Outlet],
    settings: Settings,
    *,
    clock: Clock = utc_now,
    paces: Mapping[str, Pace] = PACES,
) -> DeliveryJob:
    """Start the delivery job (first pass at once) with the clock rule on; returns it
    running. ``paces``: each platform's pace, by name (bot/platforms.py)."""
    job = DeliveryJob(db, outlets, settings, clock=clock, clock_rule=ClockRule(), paces=paces)
    job.start()
    logger.info(
        "scheduler started for %s, every %.0f s",
        ", ".join(o.platform for o in outlets) or "no platform",
        settings.scheduler_interval_seconds,
    )
    return job
