"""Guided dialogs: declared as data (a name, the commands that start it, its steps) plus
small async step functions that take a ``Context`` and an ``Answer`` and return an
``Outcome``: the replies and the next step.

Steps never call a platform API. They read and write the person's record through
``ctx.session`` (the message's single short transaction) and build buttons with
``ctx.choice`` (an answer to the next step) or ``ctx.command`` (run a command).

Button payloads::

    a:<nonce>:<value>   answer to the step that showed it; refused once the dialog moved on
    c:<command text>    run a command as if typed, e.g. ``c:/mood 2``
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core import content, variety
from core.messages import PAYLOAD_MAX_BYTES, Button, Incoming, Reply
from storage.models import ConversationState, User

ANSWER_PREFIX = "a:"
COMMAND_PREFIX = "c:"
NONCE_LENGTH = 6


def new_nonce() -> str:
    return secrets.token_urlsafe(NONCE_LENGTH)[:NONCE_LENGTH]


@dataclass(frozen=True, slots=True)
class Answer:
    """What the person gave this step: typed text, a pressed button's value, or both empty."""

    text: str = ""
    choice: str | None = None
    command: str | None = None
    """The command that started the dialog (entry step only), e.g. ``strengths``."""
    said: str = ""
    """Entry step only: the free text whose intent started the dialog."""

    @property
    def empty(self) -> bool:
        return not self.text and self.choice is None


@dataclass(slots=True)
class Outcome:
    replies: list[Reply]
    next: str | None = None
    """Next step of this dialog; None ends it."""
    then: str | None = None
    """A command to run right after (``/strengths``), when the dialog hands over."""
    pass_on: bool = False
    """The step does not take this answer: end the dialog and route the text as if no
    dialog were open (a typed message after a menu of buttons is something new)."""


@dataclass
class Context:
    """Everything a step may use. Built by the engine for one message."""

    session: AsyncSession
    user: User
    incoming: Incoming
    now: datetime
    data: dict[str, Any]
    settings: EngineSettings
    state: ConversationState | None = None
    """The stored dialog state (engine use)."""
    next_nonce: str = field(default_factory=new_nonce)

    # -- buttons ---------------------------------------------------------------------
    def choice(self, label: str, value: str) -> Button:
        """A button that answers the next step with ``value``."""
        return Button(label, f"{ANSWER_PREFIX}{self.next_nonce}:{value}")

    @staticmethod
    def command(label: str, command_text: str) -> Button:
        """A button that runs ``command_text`` (``/strengths add``) as if typed."""
        payload = f"{COMMAND_PREFIX}{command_text}"
        if len(payload.encode()) > PAYLOAD_MAX_BYTES:
            raise ValueError(f"command button too long: {command_text!r}")
        return Button(label, payload)

    # -- time ------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.user.timezone)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    # -- words -----------------------------------------------------------------------
    @staticmethod
    def say(key: str, /, **values: object) -> str:
        return content.text(key, **values)

    async def vary(self, key: str, /, **values: object) -> str:
        """One wording of a frequent message (a list in the content files), one the
        person has not seen lately (``core.variety``); recorded as seen."""
        return await variety.say(self.session, self.user.id, key, self.now, **values)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    crisis_pause_hours: float = 72.0
    mood_history_length: int = 7
    invite_uses: int = 5
    """How many friends can use one invite (core/invites.py, ``INVITE_USES``)."""


StepFn = Callable[[Context, Answer], Awaitable[Outcome]]


@dataclass(frozen=True)
class Dialog:
    name: str
    commands: tuple[str, ...]
    steps: Mapping[str, StepFn]
    entry: str = "start"
    personal: bool = True
    """Reads or writes the person's record: refused in a group chat, before it runs."""
    interjection: bool = False
    """One-shot (/help, /sos): run in the middle of another dialog without ending it."""
    parks: bool = False
    """Interjection that shows crisis lines (/sos): the open dialog is set aside and
    offered later instead of carried on (issue 13)."""
    ends_on_crisis: bool = False
    """A crisis reply ends this dialog (nothing it gathered is kept or offered again)
    instead of setting it aside: a friend's /vouch visit."""
    goodbye: str | None = None
    """Content key said on /cancel instead of the main menu (someone who is not a user,
    like a friend in /vouch, has no use for the menu)."""

    def step(self, name: str) -> StepFn | None:
        return self.steps.get(name)


def reply(text: str, *buttons: Button, personal: bool = False) -> Reply:
    return Reply(text=text, buttons=tuple(buttons), personal=personal)


def done(*replies: Reply, then: str | None = None) -> Outcome:
    return Outcome(list(replies), None, then)


def not_mine() -> Outcome:
    """End the dialog and let the engine route the typed text by its intent."""
    return Outcome([], None, pass_on=True)


def ask(next_step: str, *replies: Reply) -> Outcome:
    return Outcome(list(replies), next_step)


def parse_payload(payload: str) -> tuple[str, str, str] | None:
    """``("answer", nonce, value)`` or ``("command", "", text)``; None if malformed."""
    if payload.startswith(ANSWER_PREFIX):
        nonce, sep, value = payload[len(ANSWER_PREFIX) :].partition(":")
        if sep and len(nonce) == NONCE_LENGTH:
            return "answer", nonce, value
        return None
    if payload.startswith(COMMAND_PREFIX):
        command_text = payload[len(COMMAND_PREFIX) :]
        if command_text.startswith("/"):
            return "command", "", command_text
    return None
