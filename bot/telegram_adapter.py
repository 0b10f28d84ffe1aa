"""Where the composition root finds the Telegram adapter; the code lives in ``bot.telegram``."""

from bot.telegram import TelegramAdapter, TelegramStartupError

__all__ = ["TelegramAdapter", "TelegramStartupError"]
