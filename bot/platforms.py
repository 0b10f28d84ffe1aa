"""The platforms Rebound runs on, and what each one declares: one small registry.

A platform is a package under ``bot/`` (``bot/telegram/``, ``bot/discord/``,
``bot/terminal/``) with the same files: ``adapter.py`` (the platform library in, the
engine's replies out; also the scheduler's ``Outlet``), ``render.py`` (replies as the
platform's messages) and ``platform.py``, whose ``PLATFORM`` is a ``Registration``: the
platform's name, when its settings turn it on, which settings are secrets, how its
adapter is built, its pace for scheduled messages (core/pacing.py) and, if it has a
command menu to publish, how to publish it. The composition root (bot/app.py), the
scheduler (bot/scheduler.py) and the command line (bot/__main__.py) loop over the
registry; none of them names a platform. docs/ARCHITECTURE.md walks through adding one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pydantic import SecretStr

from core.messages import Incoming, Reply
from core.pacing import UNPACED, Pace

if TYPE_CHECKING:
    from bot.settings import Settings


class Conversations(Protocol):
    """What the engine (core/engine.py ``Engine``) offers an adapter."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """The replies to one message or button press, in order."""
        ...

    async def mark_unreachable(self, platform: str, user_id: str) -> None:
        """The person blocked the bot or closed their DMs: scheduled messages stop until
        they write again."""
        ...


class Adapter(Protocol):
    """A running platform: started and stopped by bot/app.py; ``send`` makes it the
    scheduler's ``Outlet`` (core/messages.py) for its platform."""

    platform: str

    async def start(self) -> None:
        """Connect and start receiving; returns once running. Raises on a bad token or
        an unreachable server (the process then exits with one line)."""
        ...

    async def stop(self) -> None:
        """Disconnect; returns once nothing of the adapter runs any more."""
        ...

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Deliver scheduled ``replies`` to the person; raises core/messages.py's
        ``DeliveryError`` family."""
        ...


@dataclass(frozen=True, slots=True)
class Registration:
    """What a platform declares about itself (its package's ``platform.py``)."""

    name: str
    """The platform's name in the database (``users.platform``) and in logs."""
    enabled: Callable[[Settings], bool]
    """Whether the settings turn the platform on (its token is set)."""
    build: Callable[[Settings, Conversations], Adapter] | None
    """The adapter for these settings; imports the platform library only when called.
    None: the platform is not run by ``python -m bot`` (the terminal chat has its own
    command). Raises ``ValueError`` for a setting the adapter cannot use."""
    pace: Pace = UNPACED
    """How fast scheduled messages may leave (the platform's documented limits)."""
    secrets: Callable[[Settings], Iterable[SecretStr | None]] = lambda settings: ()
    """Settings whose values never reach a log (bot/redaction.py)."""
    publish_commands: Callable[[Settings], Awaitable[int]] | None = None
    """``python -m bot sync-commands``: publish the command menu now; returns how many
    commands were published."""


class Registry:
    """The platforms known to this process, in registration order."""

    def __init__(self, platforms: Iterable[Registration] = ()) -> None:
        self._platforms: dict[str, Registration] = {}
        for platform in platforms:
            self.register(platform)

    def register(self, platform: Registration) -> None:
        """Add ``platform``; raises ``ValueError`` when its name is taken."""
        if platform.name in self._platforms:
            raise ValueError(f"a platform named {platform.name!r} is registered already")
        self._platforms[platform.name] = platform

    def __iter__(self) -> Iterator[Registration]:
        return iter(self._platforms.values())

    def enabled(self, settings: Settings) -> list[Registration]:
        """The platforms that ``python -m bot`` runs with these settings."""
        return [p for p in self if p.build is not None and p.enabled(settings)]

    def paces(self) -> dict[str, Pace]:
        """Each platform's pace for scheduled messages, by name."""
        return {p.name: p.pace for p in self}

    def secrets(self, settings: Settings) -> list[str]:
        """The values of every platform's secret settings that are set."""
        values = (secret for p in self for secret in p.secrets(settings))
        return [secret.get_secret_value() for secret in values if secret is not None]


def builtin() -> Registry:
    """A registry of the platforms shipped with Rebound: Telegram, Discord and the
    terminal chat (importing these declarations loads no platform library)."""
    from bot.discord.platform import PLATFORM as DISCORD
    from bot.telegram.platform import PLATFORM as TELEGRAM
    from bot.terminal.platform import PLATFORM as TERMINAL

    return Registry([TELEGRAM, DISCORD, TERMINAL])
