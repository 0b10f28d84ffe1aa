"""Scheduled messages in the terminal chat: the chat is a platform like the others.

While the chat is open it runs the delivery job for its own person (every
``SCHEDULER_INTERVAL_SECONDS``), so an affirmation or a check-in appears in the chat at
its time, with buttons that work. At start it first shows what ``python -m bot
dispatch`` delivered while the chat was closed (the last ``MISSED_LIMIT`` of the past
``MISSED_WINDOW``), once: each shown delivery is marked ``shown_at``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from core import content
from core.delivery import Dispatcher
from core.messages import Platform, Reply
from core.outbox import DeliverySettings, scheduled_reply
from storage.database import Database
from storage.repositories import deliveries

logger = logging.getLogger(__name__)

MISSED_WINDOW = timedelta(days=7)
MISSED_LIMIT = 10


class Screen(Protocol):
    """Where the chat prints (bot/terminal/adapter.py ``TerminalChat.show``)."""

    def show(self, replies: Sequence[Reply]) -> None: ...


class ChatOutlet:
    """The open chat as the scheduler's outlet for its person: printing cannot fail half
    way, so each batch is recorded first (``records_first``), then shown and marked."""

    platform = Platform.TERMINAL.value
    records_first = True

    def __init__(self, screen: Screen, db: Database, clock: Callable[[], datetime]) -> None:
        self._screen = screen
        self._db = db
        self._clock = clock

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        self._screen.show(replies)
        ids = [int(r.meta["delivery_id"]) for r in replies if "delivery_id" in r.meta]
        async with self._db.write() as session:
            await deliveries.mark_shown(session, ids, self._clock())


class TerminalDeliveries:
    """The chat's own delivery job: ``start(screen)`` shows what was missed and runs a
    pass at once, then one every ``interval`` seconds until ``stop()``."""

    def __init__(
        self,
        db: Database,
        user: str,
        *,
        settings: DeliverySettings,
        interval: float,
        clock: Callable[[], datetime],
    ) -> None:
        self._db = db
        self._user = user
        self._settings = settings
        self._interval = interval
        self._clock = clock
        self._dispatcher: Dispatcher | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self, screen: Screen) -> None:
        await self.show_missed(screen)
        self._dispatcher = Dispatcher(
            self._db,
            [ChatOutlet(screen, self._db, self._clock)],
            clock=self._clock,
            settings=self._settings,
            only_users=[self._user],
        )
        await self._pass()
        self._task = asyncio.create_task(self._loop())

    async def show_missed(self, screen: Screen) -> None:
        """What ``dispatch`` printed for this person while the chat was closed."""
        now = self._clock()
        async with self._db.write() as session:
            rows = await deliveries.unshown(
                session, Platform.TERMINAL.value, self._user, now - MISSED_WINDOW, MISSED_LIMIT
            )
            await deliveries.mark_shown(session, [row.id for row in rows], now)
        if rows:
            key = "terminal.while_away_one" if len(rows) == 1 else "terminal.while_away"
            lead = Reply(content.text(key, count=len(rows)))
            screen.show(
                [lead, *(scheduled_reply(r.kind, r.local_date, r.text, r.id) for r in rows)]
            )

    async def stop(self) -> None:
        """End the job; a pass in flight stops claiming and records what it printed."""
        self._stopping.set()
        if self._dispatcher is not None:
            self._dispatcher.stop()
        if self._task is not None:
            await self._task

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval)
            if not self._stopping.is_set():
                await self._pass()

    async def _pass(self) -> None:
        assert self._dispatcher is not None
        try:
            await self._dispatcher.run_pass()
        except Exception:
            logger.exception("terminal delivery pass failed; the next one will try again")
