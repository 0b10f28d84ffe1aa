"""How fast scheduled messages may leave, per platform.

A ``Pacer`` hands out send slots on an even timeline (``rate`` per second overall), adds
a little random jitter to each slot so that many workers never fire in lock-step, keeps
at least ``per_chat_interval`` seconds between two messages to the same chat, and stops
everyone for ``retry_after`` when the platform says it is overloaded.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pace:
    rate: float | None
    """Messages per second for the whole platform; None: as fast as the outlet takes them."""
    per_chat_interval: float = 0.0
    concurrency: int = 1
    """Sends in flight at once (a network round trip hides behind the others)."""
    jitter: float = 0.5
    """Random delay added to each slot, as a fraction of the slot interval."""


PACES: Mapping[str, Pace] = {
    # Bot API: about 30 messages/s overall, 1/s per chat; stay a little under.
    "telegram": Pace(rate=28.0, per_chat_interval=1.0, concurrency=28),
    # A DM is two requests (open the channel, post); the global limit is 50 requests/s.
    "discord": Pace(rate=10.0, per_chat_interval=1.0, concurrency=5),
}
UNPACED = Pace(rate=None)


class Pacer:
    def __init__(
        self,
        pace: Pace,
        *,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.pace = pace
        self._interval = 1.0 / pace.rate if pace.rate else 0.0
        self._rng = rng or random.Random()
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0
        self._held_until = 0.0
        self._chats: OrderedDict[str, float] = OrderedDict()

    async def wait(self, chat: str) -> None:
        """Return when a message to ``chat`` may go."""
        if self.pace.per_chat_interval:
            await self._wait_for_chat(chat)
        now = self._monotonic()
        slot = max(now, self._next_slot, self._held_until)
        if not self._interval and slot <= now:
            return
        self._next_slot = slot + self._interval
        delay = slot - now + self._rng.uniform(0.0, self.pace.jitter * self._interval)
        if delay > 0:
            await self._sleep(delay)

    def hold(self, seconds: float) -> None:
        """The platform said "retry after": nobody sends for ``seconds``."""
        self._held_until = max(self._held_until, self._monotonic() + seconds)

    async def _wait_for_chat(self, chat: str) -> None:
        now = self._monotonic()
        gap = self.pace.per_chat_interval
        while self._chats:
            oldest_chat, last = next(iter(self._chats.items()))
            if last > now - gap:
                break
            del self._chats[oldest_chat]
        previous = self._chats.pop(chat, None)
        at = now if previous is None else max(now, previous + gap)
        self._chats[chat] = at
        if at > now:
            await self._sleep(at - now)

    def __len__(self) -> int:
        """Chats remembered for the per-chat gap (bounded by rate x gap, not by users)."""
        return len(self._chats)
