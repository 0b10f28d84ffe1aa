"""A small fake Telegram Bot API server on 127.0.0.1 for tests (aiohttp).

It answers what the adapter uses, records every call, long-polls ``getUpdates`` from a
queue that tests push to, and can inject errors (a 403, a 429 with ``retry_after``).
PTB posts form-encoded or multipart bodies whose nested objects are JSON strings; the
fake decodes those so tests can look at ``reply_markup`` and friends as dicts.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "Rebound",
    "username": "rebound_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
JSON_FIELDS = {"reply_markup", "commands", "reply_parameters", "link_preview_options", "scope"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    token: str = ""


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None = None


class FakeTelegram:
    """``async with FakeTelegram(token) as fake:`` then point PTB at ``fake.api_url``."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._query_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._failures: dict[str, list[Failure]] = {}
        self._late: dict[str, list[float]] = {}
        self.unanswered = 0
        """Calls carried out whose answer is still held back (``answer_late``)."""
        self._changed = asyncio.Condition()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------- lifecycle

    @property
    def api_url(self) -> str:
        """What TELEGRAM_API_URL should be: PTB appends ``<token>/<method>``."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("POST", "/{tail:.*}", self._dispatch)
        app.router.add_route("GET", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._closing.set()
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------- test controls

    def fail_next(
        self, method: str, status: int, description: str, retry_after: int | None = None
    ) -> None:
        """The next call of ``method`` fails with this error (queue several for several)."""
        self._failures.setdefault(method, []).append(Failure(status, description, retry_after))

    def answer_late(self, method: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are carried out at once (a message is
        delivered) but answered only after ``seconds``: a client whose read timeout is
        shorter never learns that they went through."""
        self._late.setdefault(method, []).extend([seconds] * times)

    async def send_message(
        self,
        fields: dict[str, Any],
        user_id: int = 4242,
        chat: dict[str, Any] | None = None,
        *,
        edited: bool = False,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """A person sends a message with ``fields`` (``caption``, ``sticker``, ``voice``,
        ``photo``, ``message_thread_id``...); ``edited``: an edit of ``message_id``."""
        chat = chat or {"id": user_id, "type": "private", "first_name": "Sam"}
        message = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Sam"},
            **fields,
        }
        if edited:
            message["edit_date"] = int(time.time())
        if "message_thread_id" in fields and chat.get("is_forum"):
            message["is_topic_message"] = True
        return await self.push_update({"edited_message" if edited else "message": message})

    async def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update

    async def send_text(
        self, text: str, user_id: int = 4242, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A person writes ``text`` (a private chat unless ``chat`` says otherwise)."""
        chat = chat or {"id": user_id, "type": "private", "first_name": "Sam"}
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Sam"},
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        self._messages[(chat["id"], message["message_id"])] = message
        return await self.push_update({"message": message})

    async def press(self, message: dict[str, Any], payload: str, user_id: int = 4242) -> str:
        """A person presses the button with ``payload`` on a message the bot sent."""
        query_id = f"q{next(self._query_ids)}"
        await self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": user_id, "is_bot": False, "first_name": "Sam"},
                    "chat_instance": "ci-1",
                    "data": payload,
                    "message": message,
                }
            }
        )
        return query_id

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; returns those calls."""
        deadline = asyncio.get_running_loop().time() + within
        async with self._changed:
            while len(self.calls_to(method)) < count:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"{method} x{count} not seen within {within}s: {seen}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
        return self.calls_to(method)[:count]

    def message(self, call: Call) -> dict[str, Any]:
        """The Message object the fake returned for a recorded send call."""
        return self._messages[(int(call.params["chat_id"]), call.params["_message_id"])]

    # ------------------------------------------------------------- the API

    async def _dispatch(self, request: web.Request) -> web.Response:
        tail = request.match_info["tail"]
        if not tail.startswith("bot") or "/" not in tail:
            return _error(404, "Not Found")
        token, _, method = tail[len("bot") :].partition("/")
        if token != self.token:
            return _error(401, "Unauthorized")
        params, files = await _read_body(request)
        call = Call(method, params, files, token)
        failures = self._failures.get(method)
        if failures:
            failure = failures.pop(0)
            await self._record(call)
            return _error(failure.status, failure.description, failure.retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            await self._record(call)
            return _error(404, f"Not Found: method {method} is not faked")
        await self._record(call)
        result = await handler(call)
        late = self._late.get(method)
        if late:
            self.unanswered += 1
            try:
                await asyncio.sleep(late.pop(0))
            finally:
                self.unanswered -= 1
        return web.json_response({"ok": True, "result": result})

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api_getMe(self, call: Call) -> Any:
        return BOT_USER

    async def _api_getUpdates(self, call: Call) -> Any:
        offset = int(call.params.get("offset") or 0)
        timeout = float(call.params.get("timeout") or 0)
        deadline = asyncio.get_running_loop().time() + timeout
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing.is_set():
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
            return list(self._updates)

    async def _api_sendMessage(self, call: Call) -> Any:
        return self._new_message(call, text=call.params["text"])

    async def _api_sendPhoto(self, call: Call) -> Any:
        return self._new_message(
            call,
            photo=[{"file_id": "photo-1", "file_unique_id": "p1", "width": 640, "height": 480}],
            caption=call.params.get("caption"),
        )

    async def _api_sendDocument(self, call: Call) -> Any:
        return self._new_message(
            call,
            document={"file_id": "doc-1", "file_unique_id": "d1", "file_name": "export.json"},
            caption=call.params.get("caption"),
        )

    async def _api_editMessageText(self, call: Call) -> Any:
        message = self._messages[(int(call.params["chat_id"]), int(call.params["message_id"]))]
        message["text"] = call.params["text"]
        message.pop("reply_markup", None)
        if "reply_markup" in call.params:
            message["reply_markup"] = call.params["reply_markup"]
        return message

    async def _api_editMessageReplyMarkup(self, call: Call) -> Any:
        message = self._messages[(int(call.params["chat_id"]), int(call.params["message_id"]))]
        message.pop("reply_markup", None)
        if call.params.get("reply_markup"):
            message["reply_markup"] = call.params["reply_markup"]
        return message

    async def _api_answerCallbackQuery(self, call: Call) -> Any:
        return True

    async def _api_sendChatAction(self, call: Call) -> Any:
        return True

    async def _api_setMyCommands(self, call: Call) -> Any:
        return True

    async def _api_deleteWebhook(self, call: Call) -> Any:
        return True

    async def _api_setWebhook(self, call: Call) -> Any:
        return True

    async def _api_close(self, call: Call) -> Any:
        return True

    def _new_message(self, call: Call, **content: Any) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        message_id = next(self._message_ids)
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": "g"}
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **{k: v for k, v in content.items() if v is not None},
        }
        if call.params.get("message_thread_id"):
            chat["is_forum"] = True
            message["message_thread_id"] = int(call.params["message_thread_id"])
            message["is_topic_message"] = True
        if call.params.get("reply_markup"):
            message["reply_markup"] = call.params["reply_markup"]
        replied = (call.params.get("reply_parameters") or {}).get("message_id")
        if replied is not None and (chat_id, int(replied)) in self._messages:
            # As Telegram does: the message replied to comes along (one level deep).
            original = dict(self._messages[(chat_id, int(replied))])
            original.pop("reply_to_message", None)
            message["reply_to_message"] = original
        self._messages[(chat_id, message_id)] = message
        call.params["_message_id"] = message_id
        return message


async def _read_body(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        params = await request.json() if request.can_read_body else {}
    elif request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if part.filename:  # type: ignore[union-attr]
                files[part.name] = bytes(await part.read())  # type: ignore[union-attr]
                params[part.name] = {"filename": part.filename}  # type: ignore[union-attr]
            else:
                params[part.name] = await part.text()  # type: ignore[union-attr]
    else:
        params = dict(await request.post())
    for name in JSON_FIELDS & params.keys():
        if isinstance(params[name], str):
            params[name] = json.loads(params[name])
    return params, files


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)
