"""Which keyboards were already answered, so that a quick double press counts once.

Telegram and Discord both deliver a second press on a keyboard before the first one
has taken the buttons off; the adapters answer the second with "already answered".
Memory is bounded: the oldest keys are forgotten first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class SeenPresses(Generic[Key]):
    """The last ``memory`` keyboards pressed (a Telegram ``(chat id, message id)``, a
    Discord message id)."""

    def __init__(self, memory: int) -> None:
        self._memory = memory
        self._seen: OrderedDict[Key, None] = OrderedDict()

    def first(self, key: Key) -> bool:
        """True the first time ``key`` is pressed (and remembers it); False after."""
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > self._memory:
            self._seen.popitem(last=False)
        return True
