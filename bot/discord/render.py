"""Turn the engine's platform-neutral replies into Discord messages.

Pure functions, no network: escaping, splitting at Discord's 2,000-character limit, and
grouping a reply's buttons and file onto its last message part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord

from bot.text import UTF16, split_text, utf16_len
from core.messages import Attachment, Button, Reply

MESSAGE_LIMIT = 2000
"""Discord's limit on a message's content."""


@dataclass(frozen=True, slots=True)
class MessagePart:
    """One Discord message: a reply, or one piece of a reply too long for one message."""

    content: str | None
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    personal: bool = False


def render(replies: Iterable[Reply]) -> list[MessagePart]:
    """Escape and split each reply; its buttons and file go with its last part."""
    parts: list[MessagePart] = []
    for reply in replies:
        chunks: list[str | None] = list(split_message(discord.utils.escape_markdown(reply.text)))
        if not chunks:
            if not (reply.buttons or reply.attachment):
                continue
            chunks = [None]
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            parts.append(
                MessagePart(
                    content=chunk,
                    buttons=reply.buttons if last else (),
                    attachment=reply.attachment if last else None,
                    personal=reply.personal,
                )
            )
    return parts


def discord_length(text: str) -> int:
    """Length as Discord may count it: UTF-16 code units (never less than code points)."""
    return utf16_len(text)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-16 units (bot/text.py's rules, which
    also never cut an escape such as ``\\*``)."""
    return split_text(text, limit, UTF16)
