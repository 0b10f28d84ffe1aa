"""The Discord adapter: slash commands, buttons and DMs in, rendered replies out.

Built on discord.py 2 with default intents only (no privileged message-content intent):
every command is a slash command, and direct messages to the bot, whose content Discord
always delivers, are handled as free text. The adapter is also the scheduler's Discord
``Outlet``: ``send`` delivers a scheduled message by DM.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.discord.buttons import OwnedButton, build_view, used_view
from bot.discord.commands import SyncedCommands, build_commands, definition_hash
from bot.discord.render import MessagePart, render
from bot.platforms import Conversations
from bot.presses import SeenPresses
from bot.settings import Settings
from core import content
from core.engine import KeyedLocks
from core.messages import (
    DeliveryError,
    Incoming,
    OutcomeUnknown,
    Platform,
    RateLimited,
    RecipientUnreachable,
    Reply,
)

logger = logging.getLogger(__name__)

CANNOT_DM = 50007
UNKNOWN_USER = 10013
PRESSED_MEMORY = 4096
"""Messages whose buttons were used, remembered to refuse a quick second click."""
MAX_RATELIMIT_WAIT = 30.0
"""Seconds discord.py may wait on a rate limit before raising ``discord.RateLimited``."""

# What the adapter itself says (everything else comes from the engine).
APOLOGY = content.text("adapters.apology")
NOT_YOURS = content.text("adapters.not_yours")
ALREADY_ANSWERED = content.text("adapters.already_answered")
DONE = content.text("adapters.done")


class ReboundClient(discord.Client):
    """A discord.py client that hands everything it receives to the adapter."""

    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        super().__init__(**options)
        self.adapter = adapter
        self.tree = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        await self.adapter.setup(self)

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_message(message)

    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        if before.content != after.content:  # not an embed being filled in
            await self.adapter.on_message(after, edited=True)

    async def on_button(
        self, interaction: discord.Interaction[Any], owner_id: str, payload: str
    ) -> None:
        await self.adapter.on_button(interaction, owner_id, payload)


class ShardedReboundClient(ReboundClient, discord.AutoShardedClient):
    """The same client, sharded (``DISCORD_SHARD_COUNT`` / ``DISCORD_SHARD_IDS``)."""


class DiscordAdapter:
    """Runs the Discord client in the current event loop; also the Discord ``Outlet``."""

    platform: str = Platform.DISCORD.value

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Conversations,
        defer_after: float = 1.5,
        max_concurrent_sends: int = 4,
        guild_ready_timeout: float = 2.0,
        synced_commands: SyncedCommands | None = None,
        force_sync: bool = False,
    ) -> None:
        """``defer_after``: seconds to wait for the engine before deferring an interaction
        (Discord drops an interaction not answered within 3 s). ``synced_commands``: where
        the hash of the last synced slash commands is kept; the commands are synced only
        when it differs (None: synced at every start). ``force_sync``: sync whatever the
        hash says (``python -m bot sync-commands``)."""
        if settings.discord_token is None:
            raise ValueError("DISCORD_TOKEN is not set")
        self._token = settings.discord_token
        self._guild_id = settings.discord_guild_id
        self._engine = engine
        self._defer_after = defer_after
        self._send_slots = asyncio.Semaphore(max_concurrent_sends)
        self._answered: SeenPresses[int] = SeenPresses(PRESSED_MEMORY)
        self._order = KeyedLocks()
        self._runner: asyncio.Task[None] | None = None
        self._synced_commands = synced_commands
        self._force_sync = force_sync
        self.synced: int | None = None
        """How many slash commands this adapter synced; None: it did not sync."""
        self.client = self._make_client(settings, guild_ready_timeout)

    def _make_client(self, settings: Settings, guild_ready_timeout: float) -> ReboundClient:
        options: dict[str, Any] = {
            "intents": discord.Intents.default(),
            "allowed_mentions": discord.AllowedMentions.none(),
            "guild_ready_timeout": guild_ready_timeout,
            # A bucket that would make a request wait longer than this raises
            # discord.RateLimited instead of sleeping (30 s is discord.py's minimum), so a
            # scheduled DM hands the wait to the scheduler's pacer (core/pacing.py).
            "max_ratelimit_timeout": MAX_RATELIMIT_WAIT,
        }
        if settings.discord_shard_count is None and settings.discord_shard_ids is None:
            return ReboundClient(self, **options)
        options["shard_count"] = settings.discord_shard_count
        options["shard_ids"] = settings.discord_shard_ids
        return ShardedReboundClient(self, **options)

    # -- life cycle ------------------------------------------------------------------

    async def start(self) -> None:
        """Start the client in a background task and return at once."""
        if self._runner is not None:
            raise RuntimeError("the Discord adapter is already running")
        self._runner = asyncio.create_task(
            self.client.start(self._token.get_secret_value()), name="discord-client"
        )
        self._runner.add_done_callback(_report_end)

    async def stop(self) -> None:
        """Close the gateway and HTTP session and wait for the client task to end."""
        await self.client.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await asyncio.wait({runner})

    async def publish_commands(self) -> int:
        """``python -m bot sync-commands``: log in (no gateway), sync the slash commands
        whatever the stored hash says, record the new hash, log out. Returns how many
        commands were synced; raises ``discord.LoginFailure`` on a bad token and
        ``RuntimeError`` when Discord refused the sync (the reason is logged)."""
        self._force_sync = True
        async with self.client:
            await self.client.login(self._token.get_secret_value())
        if self.synced is None:
            raise RuntimeError("Discord did not accept the slash commands")
        return self.synced

    async def setup(self, client: ReboundClient) -> None:
        """After login, before the gateway: register buttons and slash commands."""
        client.add_dynamic_items(OwnedButton)
        client.tree.error(self._on_command_error)
        for command in build_commands(self._relay_command):
            client.tree.add_command(command)
        guild = None if self._guild_id is None else discord.Object(self._guild_id)
        if guild is not None:
            client.tree.copy_global_to(guild=guild)
        digest = definition_hash(client.tree, guild)
        known = self._synced_commands
        if not self._force_sync and known is not None:
            if known.matches(client.application_id, self._guild_id, digest):
                logger.info("Slash commands unchanged since they were last synced")
                return
        try:
            synced = await client.tree.sync(guild=guild)
            self.synced = len(synced)
            if guild is not None:
                logger.info("Synced %d slash commands to guild %s", len(synced), self._guild_id)
            else:
                logger.info("Synced %d global slash commands", len(synced))
            if known is not None:
                known.save(client.application_id, self._guild_id, digest)
        except discord.HTTPException as exc:
            logger.warning(
                "Could not sync slash commands (%s %s); was the bot invited with the "
                "applications.commands scope?",
                exc.status,
                exc.text,
            )

    # -- slash commands --------------------------------------------------------------

    async def _relay_command(self, interaction: discord.Interaction[Any], text: str) -> None:
        user = interaction.user
        incoming = Incoming(
            platform=self.platform,
            user_id=str(user.id),
            text=text,
            private=interaction.guild_id is None,
            ephemeral=True,
            display_name=user.display_name,
        )
        replies = await self._handle_within_deadline(interaction, incoming)
        deferred = interaction.response.is_done()  # in a server, deferred ephemerally
        if await self._answer(interaction, replies, private=deferred):
            return
        if interaction.response.is_done():  # deferred: replace "thinking..."
            await interaction.edit_original_response(content=DONE)
        else:
            await interaction.response.send_message(DONE, ephemeral=True)

    async def _handle_within_deadline(
        self, interaction: discord.Interaction[Any], incoming: Incoming
    ) -> list[Reply]:
        """Run the engine; defer the interaction if it is not done in ``defer_after``.

        A deferred answer in a server is ephemeral, since what the engine will say is not
        known yet; quick answers are shown to everyone unless they are personal.
        """
        work = asyncio.ensure_future(self._engine.handle(incoming))
        try:
            done, _ = await asyncio.wait({work}, timeout=self._defer_after)
            if not done:
                await interaction.response.defer(
                    thinking=True, ephemeral=interaction.guild_id is not None
                )
        except BaseException:
            # The engine's work still completes (it may be writing); its replies are lost.
            work.add_done_callback(_discard_result)
            raise
        return await work

    async def _on_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        original = getattr(error, "original", error)
        logger.error(
            "Slash command /%s failed",
            interaction.command.name if interaction.command else "?",
            exc_info=(type(original), original, original.__traceback__),
        )
        await self._apologise(interaction)

    # -- buttons ---------------------------------------------------------------------

    async def on_button(
        self, interaction: discord.Interaction[Any], owner_id: str, payload: str
    ) -> None:
        try:
            await self._press(interaction, owner_id, payload)
        except Exception:
            logger.exception("Button press failed")
            await self._apologise(interaction)

    async def _press(
        self, interaction: discord.Interaction[Any], owner_id: str, payload: str
    ) -> None:
        if str(interaction.user.id) != owner_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        message = interaction.message
        if message is None:
            return
        if not self._answered.first(message.id):
            await interaction.response.send_message(ALREADY_ANSWERED, ephemeral=True)
            return
        data: Mapping[str, Any] = interaction.data or {}
        chosen = str(data.get("custom_id", ""))
        # Acknowledges the click at once (well within 3 s) and disables the buttons.
        await interaction.response.edit_message(view=used_view(message, chosen))
        incoming = Incoming(
            platform=self.platform,
            user_id=owner_id,
            payload=payload,
            private=interaction.guild_id is None,
            ephemeral=True,
            display_name=interaction.user.display_name,
        )
        replies = await self._engine.handle(incoming)
        await self._answer(interaction, replies, private=message.flags.ephemeral)

    # -- direct messages -------------------------------------------------------------

    async def on_message(self, message: discord.Message, *, edited: bool = False) -> None:
        """Free text in a DM. Server messages carry no content without the privileged
        intent, so only DMs are read. A DM with only an attachment, a sticker or a poll
        gets the engine's "I can only read text" (``Incoming.media``); an edited DM
        (``edited``) gets the crisis check only (``Engine._edited``). One person's DMs are
        answered one after another, in the order they came (discord.py runs each event in
        its own task, and the typing indicator is an HTTP call that takes its own time)."""
        if message.author.bot or message.guild is not None:
            return
        if edited and not message.content.strip():
            return
        media = None if message.content.strip() else discord_media_kind(message)
        if media is None and not message.content.strip():
            return  # nothing at all (a call, a pin)
        await self._order.run(
            message.author.id, lambda: self._direct_message(message, media=media, edited=edited)
        )

    async def _direct_message(
        self, message: discord.Message, *, media: str | None, edited: bool
    ) -> None:
        author = message.author
        incoming = Incoming(
            platform=self.platform,
            user_id=str(author.id),
            text=message.content,
            private=True,
            ephemeral=False,
            display_name=author.display_name,
            media=media,
            edited=edited,
        )
        try:
            async with message.channel.typing():
                replies = await self._engine.handle(incoming)
            await self._send_parts(message.channel, str(author.id), replies)
        except Exception:
            logger.exception("Direct message handling failed")
            try:
                await message.channel.send(APOLOGY)
            except discord.HTTPException:
                logger.warning("Could not send the apology either")

    # -- the scheduler's Outlet ------------------------------------------------------

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Deliver scheduled ``replies`` by DM (a few at a time).

        Raises ``RecipientUnreachable`` (DMs closed, unknown user), ``RateLimited``
        (429), ``OutcomeUnknown`` (a timeout or a connection dropped after the request
        went out) and ``DeliveryError`` (a connect error, an error answer). discord.py
        itself retries a 5xx answer and a connection reset a few times before that.
        """
        if self.client.user is None:
            raise DeliveryError("the Discord client is not logged in")
        async with self._send_slots:
            try:
                channel = await self.client.create_dm(discord.Object(int(user_id)))
                await self._send_parts(channel, user_id, replies)
            except (discord.Forbidden, discord.NotFound) as exc:
                if exc.code not in (CANNOT_DM, UNKNOWN_USER):
                    raise DeliveryError(f"Discord refused the DM: {exc.status} {exc.code}") from exc
                await self._engine.mark_unreachable(self.platform, user_id)
                raise RecipientUnreachable(f"cannot DM Discord user {user_id}") from exc
            except discord.RateLimited as exc:
                raise RateLimited(exc.retry_after) from exc
            except discord.HTTPException as exc:
                if exc.status == 429:
                    raise RateLimited(_retry_after(exc)) from exc
                raise DeliveryError(f"Discord error {exc.status} {exc.code}") from exc
            except aiohttp.ClientConnectorError as exc:  # before a byte went out
                raise DeliveryError(f"Discord unreachable: {type(exc).__name__}") from exc
            except (TimeoutError, aiohttp.ClientError) as exc:
                # The request may have been carried out (no answer, or a connection
                # dropped mid-response): never sent again blindly.
                raise OutcomeUnknown(f"no answer from Discord: {type(exc).__name__}") from exc

    # -- sending ---------------------------------------------------------------------

    async def _answer(
        self,
        interaction: discord.Interaction[Any],
        replies: Sequence[Reply],
        *,
        private: bool = False,
    ) -> int:
        """Answer an interaction; return the number of messages sent.

        In a server, a personal reply is ephemeral, and so is everything after it in the
        same answer (``private`` starts True when the conversation is already ephemeral),
        so that a private exchange does not continue in the open channel.
        """
        in_server = interaction.guild_id is not None
        owner = str(interaction.user.id)
        parts = render(replies)
        for part in parts:
            private = private or part.personal
            kwargs = _message_kwargs(part, owner)
            ephemeral = in_server and private
            if interaction.response.is_done():
                await interaction.followup.send(ephemeral=ephemeral, **kwargs)
            else:
                await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
        return len(parts)

    async def _send_parts(
        self, channel: discord.abc.Messageable, owner: str, replies: Sequence[Reply]
    ) -> None:
        for part in render(replies):
            await channel.send(**_message_kwargs(part, owner))

    async def _apologise(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.response.is_done():
                await interaction.followup.send(APOLOGY, ephemeral=True)
            else:
                await interaction.response.send_message(APOLOGY, ephemeral=True)
        except discord.HTTPException as exc:
            logger.warning("Could not apologise for a failed interaction (%s)", exc.status)


def discord_media_kind(message: discord.Message) -> str | None:
    """What a DM without words holds, in the engine's words (core.messages.MEDIA_KINDS);
    None when it holds nothing a person sent (a system message)."""
    if message.stickers:
        return "sticker"
    if message.attachments:
        first = message.attachments[0]
        if message.flags.voice:
            return "voice"
        content_type = first.content_type or ""
        if content_type.startswith("image/"):
            return "photo"
        if content_type.startswith("video/"):
            return "video"
        return "file"
    if message.poll is not None:
        return "poll"
    if message.embeds:
        return "other"
    return None


def _message_kwargs(part: MessagePart, owner: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "content": part.content,
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if part.buttons:
        kwargs["view"] = build_view(owner, part.buttons)
    if part.attachment is not None:
        kwargs["file"] = discord.File(
            io.BytesIO(part.attachment.data), filename=part.attachment.filename
        )
    return kwargs


def _retry_after(exc: discord.HTTPException) -> float:
    try:
        return float(exc.response.headers.get("Retry-After", 1.0))
    except (AttributeError, TypeError, ValueError):
        return 1.0


def _discard_result(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Engine failed on an abandoned interaction", exc_info=task.exception())


def _report_end(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if isinstance(exc, discord.LoginFailure):
        logger.error("Discord login failed: check DISCORD_TOKEN")
    elif isinstance(exc, discord.PrivilegedIntentsRequired):
        logger.error("Discord refused the gateway intents")
    elif exc is not None:
        logger.error("The Discord client stopped", exc_info=(type(exc), exc, exc.__traceback__))
