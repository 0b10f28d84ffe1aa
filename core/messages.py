"""Platform-neutral messages: what adapters hand to the engine and what they get back.

Adapters (terminal, Telegram, Discord) turn a platform update into an ``Incoming``,
call ``Engine.handle`` and render the returned ``Reply`` objects the way their
platform can: inline keyboards, Discord components, or a numbered list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

PAYLOAD_MAX_BYTES = 64
"""Telegram's callback_data limit; every button payload the engine builds fits in it."""
DEEP_LINK_MARK = "[[deep_link]]"
"""Stands in a reply's text for a link that starts the bot with ``Reply.meta["deep_link"]``
as its payload; the Telegram adapter puts the link there (it knows the bot's user name)."""


class Platform(StrEnum):
    TERMINAL = "terminal"
    TELEGRAM = "telegram"
    DISCORD = "discord"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a person did: typed text (commands included) or pressed a button."""

    platform: str
    user_id: str
    """The person's id on that platform (terminal: the ``--user`` name)."""
    text: str = ""
    payload: str | None = None
    """The payload of the button pressed, exactly as the engine built it."""
    private: bool = True
    """True in a private chat or DM; False in a group or server channel."""
    ephemeral: bool = False
    """True when the adapter can answer this message so only the sender sees it."""
    display_name: str | None = None
    media: str | None = None
    """What came besides text, which the bot cannot read: one of ``MEDIA_KINDS``
    (``sticker``, ``voice``, ``photo``...). A caption is ``text``, checked like any text."""
    edited: bool = False
    """An edit of an earlier message: only the crisis check runs on it (see the engine)."""


MEDIA_KINDS = frozenset(
    {"sticker", "voice", "video_note", "photo", "video", "file", "location", "poll", "contact"}
)
"""Kinds of non-text message the adapters name; anything else is ``other``."""


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    payload: str

    def __post_init__(self) -> None:
        if len(self.payload.encode()) > PAYLOAD_MAX_BYTES:
            raise ValueError(f"button payload over {PAYLOAD_MAX_BYTES} bytes: {self.payload!r}")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply: the /chart picture or the /export document."""

    filename: str
    data: bytes
    kind: str = "document"
    """``photo`` (shown inline where the platform can) or ``document``."""
    render: Callable[[], bytes] | None = field(default=None, compare=False)
    """Slow work (a chart) that makes ``data``: the engine runs it in a worker thread
    after the message's transaction has ended, so no one waits on the database for it."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from the bot. Text is plain; adapters escape it for their format."""

    text: str
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    personal: bool = False
    """Holds personal data: shown only in a private chat, a DM or an ephemeral reply."""
    urgent: bool = False
    """Crisis lines: never withheld, even where personal replies are (a group chat);
    private or ephemeral where the platform can do that."""
    typing: bool = False
    """Took a while to make (a chart): adapters may show a typing indicator first."""
    meta: dict[str, str] = field(default_factory=dict, compare=False)


class DeliveryError(Exception):
    """Raised by an adapter's ``send`` when a scheduled message could not be delivered."""


class RecipientUnreachable(DeliveryError):
    """The person blocked the bot or closed DMs: a permanent refusal, never retried."""


class OutcomeUnknown(DeliveryError):
    """The request may have reached the platform but no answer came back (a read
    timeout after it was sent, a connection dropped mid-response). Sending it again
    could deliver it twice, so the scheduler records it as sent, outcome unknown."""


class RateLimited(DeliveryError):
    """The platform asked us to slow down."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after:.1f}s")
        self.retry_after = retry_after


class Outlet(Protocol):
    """What an adapter offers the scheduler: sending to a person who did not just write."""

    platform: str

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Deliver ``replies`` to the person privately (DM / private chat).

        Raises ``RecipientUnreachable`` for a permanent refusal (Telegram 403, Discord
        50007), ``RateLimited`` when the platform asks to slow down, ``OutcomeUnknown``
        when the request may have gone through unanswered, and ``DeliveryError`` only
        when nothing was delivered (a connect error, a 5xx answer): that one is retried.

        An outlet may set ``records_first = True`` when handing a message over cannot
        fail half-way (printing it): the scheduler then records each batch as sent
        before it hands it over, so a crash can lose a print but never repeat one.
        """
        ...
