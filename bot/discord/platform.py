"""Discord as a Rebound platform (bot/platforms.py): on when ``DISCORD_TOKEN`` is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.platforms import Adapter, Conversations, Registration
from core.messages import Incoming, Platform, Reply
from core.pacing import PACES

if TYPE_CHECKING:
    from bot.settings import Settings


def _build(settings: Settings, engine: Conversations) -> Adapter:
    from bot.discord.adapter import DiscordAdapter
    from bot.discord.commands import SyncedCommands

    return DiscordAdapter(
        settings=settings, engine=engine, synced_commands=SyncedCommands(settings.data_folder())
    )


async def _publish_commands(settings: Settings) -> int:
    from bot.discord.adapter import DiscordAdapter
    from bot.discord.commands import SyncedCommands

    adapter = DiscordAdapter(
        settings=settings,
        engine=_NoConversations(),
        synced_commands=SyncedCommands(settings.data_folder()),
    )
    return await adapter.publish_commands()


class _NoConversations:
    """The engine stand-in of ``sync-commands``: no gateway runs, so nothing arrives."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        return []

    async def mark_unreachable(self, platform: str, user_id: str) -> None:
        return None


PLATFORM = Registration(
    name=Platform.DISCORD.value,
    enabled=lambda settings: settings.discord_token is not None,
    build=_build,
    pace=PACES[Platform.DISCORD.value],
    secrets=lambda settings: (settings.discord_token,),
    publish_commands=_publish_commands,
)
