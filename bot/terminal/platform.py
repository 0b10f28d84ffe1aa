"""The terminal chat as a Rebound platform (bot/platforms.py).

Not run by ``python -m bot``: ``python -m bot chat`` opens it (bot/__main__.py), and
``python -m bot dispatch`` prints its deliveries (bot/dispatch.py). Its scheduled
messages are not paced: they are written into the chat or onto stdout.
"""

from __future__ import annotations

from bot.platforms import Registration
from core.messages import Platform

PLATFORM = Registration(name=Platform.TERMINAL.value, enabled=lambda settings: False, build=None)
