"""Updates of one person handled one after another, in the order Telegram sent them.

With ``concurrent_updates`` python-telegram-bot runs every update in its own task, so a
burst from one person raced: their replies could go out in another order than their
messages came (504 of 1,000 in one test), although the engine stored them in order.
This processor (python-telegram-bot's documented hook for the purpose) keeps updates
concurrent across people and serial per person: each update waits for the person's
previous one to be answered, replies sent included. The wait happens before the
library's concurrency limit is taken, so one person's burst never holds slots that
other people need.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from core.engine import KeyedLocks

MAX_CONCURRENT_UPDATES = 256
"""Updates handled at once across all people (python-telegram-bot's default for
``concurrent_updates=True``)."""


class PerPersonOrder(SimpleUpdateProcessor):
    """A ``SimpleUpdateProcessor`` that serialises the updates of each person (the
    update's ``effective_user``; updates without one run at once)."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._turns = KeyedLocks()

    # PTB marks process_update final (it wraps do_process_update in the concurrency
    # semaphore); overridden so that a person waiting for their turn holds no slot.
    async def process_update(  # type: ignore[misc]
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
        """Run ``coroutine`` (the handling of ``update``) after the person's earlier
        updates. asyncio locks are first come, first served, and updates reach this
        method in the order Telegram sent them, so the order holds."""
        person = update.effective_user if isinstance(update, Update) else None
        handle = super().process_update
        if person is None:
            await handle(update, coroutine)
            return
        await self._turns.run(("telegram", person.id), lambda: handle(update, coroutine))
