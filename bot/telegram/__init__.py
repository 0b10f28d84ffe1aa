"""Telegram front end (python-telegram-bot 22)."""

from bot.telegram.adapter import TelegramAdapter, TelegramStartupError
from bot.telegram.text import split_text, utf16_len

__all__ = ["TelegramAdapter", "TelegramStartupError", "split_text", "utf16_len"]
