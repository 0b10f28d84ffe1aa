"""Turn the engine's platform-neutral replies into Discord messages.

Pure functions, no network: escaping, splitting at Discord's 2,000-character limit, and
grouping a reply's buttons and file onto its last message part.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import discord

from core.messages import Attachment, Button, Reply

MESSAGE_LIMIT = 2000
"""Discord's limit on a message's content."""

_JOINERS = frozenset("\u200d\ufe0e\ufe0f")  # zero-width joiner, variation selectors


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
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into pieces of at most ``limit``, between words where possible.

    Prefers a paragraph break, then a line break, then any whitespace. A single word
    longer than ``limit`` is cut, but never inside a character, a combining sequence or
    an escape (``\\*``). Whitespace at the cut is dropped; blank input gives ``[]``.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    pieces: list[str] = []
    rest = text.strip()
    while discord_length(rest) > limit:
        cut, skip = _cut(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut + skip :].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _fitting_prefix(text: str, limit: int) -> int:
    """The largest n such that ``text[:n]`` fits in ``limit``."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def _cut(text: str, limit: int) -> tuple[int, int]:
    """Where to cut an over-long text, and how many separator characters to drop there."""
    end = _fitting_prefix(text, limit)
    window = text[: end + 1]  # the character just past the limit may be the whitespace
    for separator in ("\n\n", "\n"):
        at = window.rfind(separator)
        if at > end // 2:
            return at, len(separator)
    for at in range(len(window) - 1, 0, -1):
        if window[at].isspace():
            return at, 1
    return _safe_hard_cut(text, end), 0


def _safe_hard_cut(text: str, end: int) -> int:
    cut = end
    while cut > 1 and (
        unicodedata.combining(text[cut])
        or unicodedata.category(text[cut]) in ("Mn", "Me", "Mc", "Sk")
        or text[cut] in _JOINERS
        or text[cut - 1] in _JOINERS
        or text[cut - 1] == "\\"
    ):
        cut -= 1
    return cut if cut > 1 else end
