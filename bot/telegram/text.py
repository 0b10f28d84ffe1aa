"""Text helpers for Telegram: its limits, splitting (bot/text.py), command addressing.

Telegram counts message length in UTF-16 code units (4096 for a message, 1024 for a
caption), measured on the text after entity parsing, so the engine's plain text is split
first and escaped for HTML afterwards.
"""

from __future__ import annotations

import re

from bot import text as text_module
from bot.text import UTF16, utf16_len

MESSAGE_LIMIT = 4096
"""Bot API: a message's text, in UTF-16 units after entity parsing."""
CAPTION_LIMIT = 1024
"""Bot API: a photo's or document's caption."""

__all__ = ["CAPTION_LIMIT", "MESSAGE_LIMIT", "addressed_command", "split_text", "utf16_len"]

_COMMAND = re.compile(r"^(/[A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(.*)$", re.DOTALL)


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` in chunks of at most ``limit`` UTF-16 units (bot/text.py's rules)."""
    return text_module.split_text(text, limit, UTF16)


def addressed_command(text: str, bot_username: str | None) -> str | None:
    """Drop ``@BotName`` from a group command; ``None`` when it is meant for another bot.

    ``/mood@ReboundBot 3`` becomes ``/mood 3``; plain text comes back unchanged.
    """
    match = _COMMAND.match(text)
    if match is None:
        return text
    command, target, rest = match.groups()
    if target is not None and (bot_username is None or target.lower() != bot_username.lower()):
        return None
    return command + rest
