"""A small fake Discord (REST + gateway) on 127.0.0.1 for the real discord.py client.

Point discord.py at it with ``fake.patch(monkeypatch)``. The fake records what the bot
sends (command syncs, messages, interaction callbacks, follow-ups) and lets a test push
gateway events: slash commands, button clicks and direct messages. Only what Rebound's
adapter uses is implemented; anything else answers 404 so a gap shows up at once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from aiohttp import WSMsgType, web

API = "/api/v10"
EPHEMERAL = 1 << 6
WAIT_SECONDS = 5.0
_NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC).isoformat()


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


@dataclass
class Sent:
    """A message the bot created (channel message, interaction response or follow-up)."""

    id: int
    channel_id: int
    content: str | None
    components: list[dict[str, Any]]
    flags: int
    files: list[str]
    via: str
    interaction_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for row in self.components for c in row.get("components", [])]


class FakeDiscord:
    def __init__(self) -> None:
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self.app_id = self.new_id()
        self.bot = user_payload(self.app_id, "rebound", bot=True)
        self.guild_id = self.new_id()
        self.channel_id = self.new_id()
        self.syncs: list[tuple[int | None, list[dict[str, Any]]]] = []
        self.commands: dict[int | None, dict[str, dict[str, Any]]] = {}
        self.messages: dict[int, Sent] = {}
        self.callbacks: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.typing: list[int] = []
        self.dm_channels: dict[int, int] = {}
        self.last_dm_id = 0
        self._threads: set[int] = set()
        self.cannot_dm: set[int] = set()
        self.identify: dict[str, Any] | None = None
        self.identified = asyncio.Event()
        self._changed = asyncio.Event()
        self._interaction_messages: dict[int, int] = {}
        self._interaction_channels: dict[int, int] = {}
        self._ws: web.WebSocketResponse | None = None
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def new_id(self) -> int:
        return next(self._ids)

    # -- server life cycle ------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/gateway/", self._gateway)
        r = app.router
        r.add_get(f"{API}/users/@me", self._me)
        r.add_get(f"{API}/applications/@me", self._application)
        r.add_get(f"{API}/oauth2/applications/@me", self._application)
        r.add_get(f"{API}/gateway", self._gateway_info)
        r.add_get(f"{API}/gateway/bot", self._gateway_info)
        r.add_put(f"{API}/applications/{{app}}/commands", self._sync)
        r.add_put(f"{API}/applications/{{app}}/guilds/{{guild}}/commands", self._sync)
        r.add_post(f"{API}/users/@me/channels", self._open_dm)
        r.add_post(f"{API}/channels/{{channel}}/messages", self._channel_message)
        r.add_patch(f"{API}/channels/{{channel}}/messages/{{message}}", self._edit_message)
        r.add_post(f"{API}/channels/{{channel}}/typing", self._typing)
        r.add_post(f"{API}/interactions/{{interaction}}/{{token}}/callback", self._callback)
        r.add_post(f"{API}/webhooks/{{app}}/{{token}}", self._followup)
        r.add_patch(f"{API}/webhooks/{{app}}/{{token}}/messages/{{message}}", self._edit_followup)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway/"

    def patch(self, monkeypatch: Any) -> None:
        """Point discord.py's REST base and default gateway at this fake."""
        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url)
        )

    # -- waiting ---------------------------------------------------------------------

    async def wait_for(self, condition: Callable[[], Any]) -> Any:
        """Wait until ``condition()`` is truthy after some request; return its value."""
        async with asyncio.timeout(WAIT_SECONDS):
            while not (value := condition()):
                self._changed.clear()
                await self._changed.wait()
        return value

    def sent_for(self, interaction_id: int) -> list[Sent]:
        return [m for m in self.messages.values() if m.interaction_id == interaction_id]

    def sent_to(self, channel_id: int) -> list[Sent]:
        return [m for m in self.messages.values() if m.channel_id == channel_id]

    def callbacks_for(self, interaction_id: int) -> list[dict[str, Any]]:
        return [c for c in self.callbacks if c["interaction_id"] == interaction_id]

    # -- gateway events a test pushes -------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._ws is not None, "no gateway connection"
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    def member(self, user: dict[str, Any]) -> dict[str, Any]:
        return {
            "user": user,
            "roles": [],
            "joined_at": _NOW,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": "2248473465835073",
        }

    def _interaction(
        self,
        kind: int,
        user: dict[str, Any],
        data: dict[str, Any],
        *,
        in_guild: bool,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        interaction_id = self.new_id()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.app_id),
            "type": kind,
            "token": f"interaction-token-{interaction_id}",
            "version": 1,
            "data": data,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "app_permissions": "2248473465835073",
        }
        if in_guild:
            payload |= {
                "guild_id": str(self.guild_id),
                "guild_locale": "en-US",
                "channel_id": str(thread_id or self.channel_id),
                "channel": self._thread(thread_id) if thread_id else self._guild_channel(),
                "member": self.member(user),
                "authorizing_integration_owners": {"0": str(self.guild_id)},
                "context": 0,
            }
        else:
            channel_id = self.dm_channel_for(int(user["id"]))
            payload |= {
                "channel_id": str(channel_id),
                "channel": {"id": str(channel_id), "type": 1, "recipients": [user]},
                "user": user,
                "authorizing_integration_owners": {"0": str(self.guild_id)},
                "context": 1,
            }
        self._interaction_channels[interaction_id] = int(payload["channel_id"])
        return payload

    async def slash_command(
        self,
        user: dict[str, Any],
        name: str,
        *,
        in_guild: bool = True,
        thread_id: int | None = None,
        **options: Any,
    ) -> int:
        """Push INTERACTION_CREATE for ``/name``; option types come from the synced commands.
        ``thread_id``: used in a thread of the server channel."""
        scope = self.guild_id if in_guild and self.guild_id in self.commands else None
        command = self.commands[scope][name]
        types = {o["name"]: o["type"] for o in command.get("options", [])}
        data: dict[str, Any] = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "options": [{"name": k, "type": types[k], "value": v} for k, v in options.items()],
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        payload = self._interaction(2, user, data, in_guild=in_guild, thread_id=thread_id)
        await self.dispatch("INTERACTION_CREATE", payload)
        return int(payload["id"])

    async def click(self, user: dict[str, Any], message: Sent, custom_id: str) -> int:
        """Push a button click on ``message``, a message the bot sent earlier."""
        threads = self._threads
        in_guild = message.channel_id == self.channel_id or message.channel_id in threads
        data = {"custom_id": custom_id, "component_type": 2}
        thread_id = message.channel_id if message.channel_id in threads else None
        payload = self._interaction(3, user, data, in_guild=in_guild, thread_id=thread_id)
        payload["message"] = self._message_payload(message)
        self._interaction_messages[int(payload["id"])] = message.id
        await self.dispatch("INTERACTION_CREATE", payload)
        return int(payload["id"])

    async def direct_message(
        self,
        user: dict[str, Any],
        content: str,
        *,
        attachments: list[dict[str, Any]] | None = None,
        flags: int = 0,
        edit_of: int | None = None,
    ) -> int:
        """A DM from ``user``; ``attachments`` as Discord sends them (``filename``,
        ``content_type``...), ``flags`` 8192 for a voice message; ``edit_of``: the id of
        an earlier DM (``last_dm_id``) that this one edits (MESSAGE_UPDATE)."""
        channel_id = self.dm_channel_for(int(user["id"]))
        files = [
            {
                "id": str(self.new_id()),
                "size": 1000,
                "url": f"http://127.0.0.1:{self.port}/attachments/in",
                "proxy_url": f"http://127.0.0.1:{self.port}/attachments/in",
                **attachment,
            }
            for attachment in attachments or []
        ]
        message_id = edit_of or self.new_id()
        self.last_dm_id = message_id
        await self.dispatch(
            "MESSAGE_UPDATE" if edit_of else "MESSAGE_CREATE",
            {
                "id": str(message_id),
                "channel_id": str(channel_id),
                "author": user,
                "content": content,
                "timestamp": _NOW,
                "edited_timestamp": _NOW if edit_of else None,
                "tts": False,
                "mention_everyone": False,
                "mentions": [],
                "mention_roles": [],
                "attachments": files,
                "embeds": [],
                "pinned": False,
                "type": 0,
                "flags": flags,
            },
        )
        return channel_id

    def dm_channel_for(self, user_id: int) -> int:
        return self.dm_channels.setdefault(user_id, self.new_id())

    # -- gateway ---------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45_000}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                self.identify = frame["d"]
                await self._ready(ws)
                self.identified.set()
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        ready = {
            "v": 10,
            "user": self.bot,
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        if self.identify and "shard" in self.identify:
            ready["shard"] = self.identify["shard"]
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        guild = {
            "id": str(self.guild_id),
            "name": "Job Seekers",
            "icon": None,
            "owner_id": str(self.new_id()),
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "joined_at": _NOW,
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": "2248473465835073",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                }
            ],
            "channels": [self._guild_channel()],
            "members": [self.member(self.bot)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "mfa_level": 0,
            "verification_level": 0,
            "explicit_content_filter": 0,
            "default_message_notifications": 0,
            "system_channel_flags": 0,
        }
        await ws.send_str(
            json.dumps({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild})
        )

    def _thread(self, thread_id: int) -> dict[str, Any]:
        """A public thread of the server channel."""
        self._threads.add(thread_id)
        return {
            "id": str(thread_id),
            "type": 11,
            "name": "rejections this week",
            "guild_id": str(self.guild_id),
            "parent_id": str(self.channel_id),
            "owner_id": "1",
            "message_count": 1,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": _NOW,
                "locked": False,
            },
        }

    def _guild_channel(self) -> dict[str, Any]:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "name": "job-hunt",
            "guild_id": str(self.guild_id),
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }

    # -- REST ------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        try:
            return await handler(request)
        finally:
            self._changed.set()

    async def _me(self, request: web.Request) -> web.Response:
        return _json(self.bot)

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(self.app_id),
                "name": "Rebound",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "owner": user_payload(self.new_id(), "owner"),
                "flags": 0,
                "team": None,
                "summary": "",
            }
        )

    async def _gateway_info(self, request: web.Request) -> web.Response:
        return _json(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _sync(self, request: web.Request) -> web.Response:
        body = await request.json()
        guild = request.match_info.get("guild")
        scope = int(guild) if guild else None
        self.syncs.append((scope, body))
        registered = []
        for command in body:
            registered.append(
                command
                | {
                    "id": str(self.new_id()),
                    "application_id": str(self.app_id),
                    "version": str(self.new_id()),
                    "default_member_permissions": None,
                    **({"guild_id": str(scope)} if scope else {}),
                }
            )
        self.commands[scope] = {c["name"]: c for c in registered}
        return _json(registered)

    async def _open_dm(self, request: web.Request) -> web.Response:
        recipient = int((await request.json())["recipient_id"])
        channel_id = self.dm_channel_for(recipient)
        return _json(
            {
                "id": str(channel_id),
                "type": 1,
                "recipients": [user_payload(recipient, f"user{recipient}")],
                "last_message_id": None,
            }
        )

    async def _channel_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel"])
        recipient = next((u for u, c in self.dm_channels.items() if c == channel_id), None)
        if recipient in self.cannot_dm:
            return _json({"message": "Cannot send messages to this user", "code": 50007}, 403)
        body, files = await _read_body(request)
        message = self._store(channel_id, body, files, via="channel")
        return _json(self._message_payload(message))

    async def _edit_message(self, request: web.Request) -> web.Response:
        message = self.messages[int(request.match_info["message"])]
        body, _ = await _read_body(request)
        self._apply_edit(message, body)
        return _json(self._message_payload(message))

    async def _typing(self, request: web.Request) -> web.Response:
        self.typing.append(int(request.match_info["channel"]))
        return web.Response(status=204)

    async def _callback(self, request: web.Request) -> web.Response:
        interaction_id = int(request.match_info["interaction"])
        body, files = await _read_body(request)
        kind, data = body["type"], body.get("data") or {}
        self.callbacks.append({"interaction_id": interaction_id, "type": kind, "data": data})
        message: Sent | None = None
        if kind == 4:  # CHANNEL_MESSAGE_WITH_SOURCE
            message = self._store(
                self._interaction_channels[interaction_id],
                data,
                files,
                via="response",
                interaction_id=interaction_id,
            )
        elif kind == 5:  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: a "thinking..." message
            message = self._store(
                self._interaction_channels[interaction_id],
                data,
                files,
                via="deferred",
                interaction_id=interaction_id,
            )
        elif kind == 7:  # UPDATE_MESSAGE: edit the message whose button was clicked
            message = self.messages[self._interaction_messages[interaction_id]]
            self._apply_edit(message, data)
        response: dict[str, Any] = {
            "interaction": {
                "id": str(interaction_id),
                "type": 2,
                "response_message_id": str(message.id) if message else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL),
            }
        }
        if message is not None:
            response["resource"] = {"type": kind, "message": self._message_payload(message)}
        return _json(response)

    async def _followup(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        interaction_id = int(token.rsplit("-", 1)[-1])
        body, files = await _read_body(request)
        message = self._store(
            self._interaction_channels[interaction_id],
            body,
            files,
            via="followup",
            interaction_id=interaction_id,
        )
        return _json(self._message_payload(message))

    async def _edit_followup(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        interaction_id = int(token.rsplit("-", 1)[-1])
        target = request.match_info["message"]
        if target == "@original":
            message = next(m for m in self.sent_for(interaction_id) if m.via == "deferred")
        else:
            message = self.messages[int(target)]
        body, _ = await _read_body(request)
        self._apply_edit(message, body)
        return _json(self._message_payload(message))

    # -- message store -----------------------------------------------------------------

    def _store(
        self,
        channel_id: int,
        body: dict[str, Any],
        files: list[str],
        *,
        via: str,
        interaction_id: int | None = None,
    ) -> Sent:
        message = Sent(
            id=self.new_id(),
            channel_id=channel_id,
            content=body.get("content"),
            components=body.get("components") or [],
            flags=body.get("flags") or 0,
            files=files,
            via=via,
            interaction_id=interaction_id,
            payload=body,
        )
        self.messages[message.id] = message
        return message

    @staticmethod
    def _apply_edit(message: Sent, body: dict[str, Any]) -> None:
        if "content" in body:
            message.content = body["content"]
        if "components" in body:
            message.components = body["components"] or []

    def _message_payload(self, message: Sent) -> dict[str, Any]:
        return {
            "id": str(message.id),
            "channel_id": str(message.channel_id),
            "author": self.bot,
            "content": message.content or "",
            "timestamp": _NOW,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [
                {
                    "id": str(self.new_id()),
                    "filename": name,
                    "size": 1,
                    "url": f"http://127.0.0.1:{self.port}/attachments/{name}",
                    "proxy_url": f"http://127.0.0.1:{self.port}/attachments/{name}",
                }
                for name in message.files
            ],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": message.flags,
            "components": message.components,
        }


async def _read_body(request: web.Request) -> tuple[dict[str, Any], list[str]]:
    """A JSON body, or a multipart one (``payload_json`` plus files); file names returned."""
    if not request.content_type.startswith("multipart/"):
        return await request.json(), []
    body: dict[str, Any] = {}
    files: list[str] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if part.name == "payload_json":  # type: ignore[union-attr]
            body = json.loads(await part.text())  # type: ignore[union-attr]
        else:
            await part.read()  # type: ignore[union-attr]
            files.append(part.filename or "")  # type: ignore[union-attr]
    return body, files


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py only parses a body whose content type is exactly application/json.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )
