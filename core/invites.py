"""Friends add strengths (docs/CONTENT.md idea 6: "ask friends, family or housemates to add to
it"): invite codes, what a friend's words must pass, and how a contribution reaches the
person.

A person's ``/invite`` gives a code (Telegram: a deep link ``?start=vouch-CODE``); a
friend uses it with ``/vouch CODE``. Each strength the friend writes becomes a
``Contribution`` and an outbox row of kind ``friend:<id>``, which the scheduler's next
pass sends to the person with [Keep it] [Not now] (``/invite keep ID``,
``/invite decline ID``). Nothing here talks to a platform.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from functools import cache

from core import content
from core.messages import Button

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read aloud or copied by hand survives."""
CODE_LENGTH = 8
"""31**8 is about 8.5e11 codes: guessing one open invite is hopeless at any rate a
platform lets one account send messages."""
DEEP_LINK_PREFIX = "vouch-"
"""Telegram deep-link payload: ``/start vouch-CODE`` runs ``/vouch CODE`` (issue 12).
Telegram allows A-Z, a-z, 0-9, _ and - in a payload, up to 64 characters."""

INVITE_USES = 5
"""How many friends can use one invite by default (the issue's N); the setting
``INVITE_USES`` (``EngineSettings.invite_uses``) changes it."""
INVITE_LIFETIME = timedelta(days=14)
MAX_OPEN_INVITES = 3
"""Open invites one person may hold at once."""
MAX_INVITES_PER_DAY = 5
"""New invites one person may make in 24 hours: a rate limit against spamming people."""
STRENGTHS_PER_VISIT = 5
"""Strengths one friend can write in one use of an invite."""
STRENGTH_LIMIT = 300
NOTE_LIMIT = 300
SIGNED_LIMIT = 40
"""Characters: a strength, a note of encouragement, how the friend names themselves."""
LINK_CODE_LIFETIME = timedelta(minutes=10)

DELIVERY_KIND = "friend"
"""Outbox kind prefix: ``friend:<contribution id>`` (fits the 16-character column for
ids below 10**9)."""


def new_code() -> str:
    """A random invite or link code: ``CODE_LENGTH`` characters of ``CODE_ALPHABET``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(typed: str) -> str | None:
    """A typed code (any case, spaces or dashes, a ``vouch-`` prefix) as stored, or None
    when it cannot be a code at all."""
    code = typed.strip().upper()
    if code.startswith(DEEP_LINK_PREFIX.upper()):
        code = code[len(DEEP_LINK_PREFIX) :]
    code = code.replace(" ", "").replace("-", "")
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def deep_link_payload(code: str) -> str:
    return f"{DEEP_LINK_PREFIX}{code}"


@cache
def _hostile_patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """(kind negations taken out first, hostile patterns)."""
    data = content.data("friend_hostile")
    kind = tuple(re.compile(p, re.IGNORECASE) for p in data.get("kind_negations", []))
    return kind, tuple(re.compile(p, re.IGNORECASE) for p in data["patterns"])


def is_hostile(text: str) -> bool:
    """Whether a friend's words read as an insult, a put-down or discouragement ("give
    up", "nobody will hire you", a sarcastic "good at excuses")
    (``core/content/friend_hostile.toml``): such words are never passed on as a strength.
    Praise for not giving up ("she never gives up") is taken out before the check.
    Crisis-level words are caught earlier, by the engine's ``core.safety.is_crisis``."""
    kind, hostile = _hostile_patterns()
    flat = " ".join(text.replace("\u2019", "'").split())
    for pattern in kind:
        flat = pattern.sub(" ", flat)
    return any(p.search(flat) for p in hostile)


def delivery_kind(contribution_id: int) -> str:
    return f"{DELIVERY_KIND}:{contribution_id}"


def contribution_id_of(kind: str) -> int | None:
    """The contribution id in an outbox kind ``friend:<id>``; None for other kinds."""
    prefix, sep, number = kind.partition(":")
    if prefix != DELIVERY_KIND or not sep or not number.isdigit():
        return None
    return int(number)


def contribution_message(text: str, note: str | None, signed: str | None) -> str:
    """What the person receives: "Someone who knows you wrote: ..." (docs/CONTENT.md)."""
    key = "friends.delivered_signed" if signed else "friends.delivered"
    lines = [content.text(key, text=text, signed=signed or "")]
    if note:
        lines.append(content.text("friends.delivered_note", note=note))
    lines.append(content.text("friends.delivered_question"))
    return "\n\n".join(lines)


def contribution_buttons(contribution_id: int) -> tuple[Button, ...]:
    """[Keep it] [Not now] [Block this invite], as command buttons (they work whenever
    pressed, with no dialog open)."""
    return (
        Button(content.text("friends.keep_button"), f"c:/invite keep {contribution_id}"),
        Button(content.text("friends.decline_button"), f"c:/invite decline {contribution_id}"),
        Button(content.text("friends.block_button"), f"c:/invite block {contribution_id}"),
    )
