"""Telegram front end (python-telegram-bot 22): platform.py, adapter.py, render.py.

The adapter's names load on first use, so that reading the registration
(bot/telegram/platform.py) does not import python-telegram-bot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.telegram.adapter import TelegramAdapter, TelegramStartupError
    from bot.telegram.text import split_text, utf16_len

__all__ = ["TelegramAdapter", "TelegramStartupError", "split_text", "utf16_len"]


def __getattr__(name: str) -> Any:
    if name in ("TelegramAdapter", "TelegramStartupError"):
        from bot.telegram import adapter

        return getattr(adapter, name)
    if name in ("split_text", "utf16_len"):
        from bot.telegram import text

        return getattr(text, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
