"""The webhook's HTTP server: the secret checked before the body is read, the body capped.

python-telegram-bot's own webhook server (tornado) reads a whole request body, up to
100 MB, before it looks at the secret header, so anyone who knows the URL can make the
bot hold large bodies in memory. This small aiohttp server answers from the headers
alone: a missing or wrong ``X-Telegram-Bot-Api-Secret-Token`` gets 403, a declared
``Content-Length`` above ``MAX_BODY_BYTES`` gets 413, and the connection is closed
without reading the body. Only then is the body read (still capped, for chunked
requests), parsed as an ``Update`` and put on the application's update queue, where
polling would have put it.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
"""The header Telegram sends with the ``secret_token`` given to setWebhook (Bot API)."""
MAX_BODY_BYTES = 1024 * 1024
"""1 MiB. A Telegram update is a few kilobytes: one message of at most 4096 characters
with its entities, perhaps the message it replies to."""


class WebhookServer:
    """Serves ``POST path`` on ``listen:port`` for one application.

    ``secret`` is the webhook secret (1-256 characters of ``A-Z a-z 0-9 _ -``), compared
    in constant time. ``start()`` binds the port (raises ``OSError`` when it is taken);
    ``stop()`` closes it.
    """

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        listen: str,
        port: int,
        path: str,
        secret: str,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self._application = application
        self._listen = listen
        self._port = port
        self._path = "/" + path.lstrip("/")
        self._secret = secret.encode()
        self._max_body = max_body
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=self._max_body)
        app.router.add_post(self._path, self._receive)
        # lingering_time=0: a refused request's unread body is not drained, the
        # connection is closed after the answer.
        runner = web.AppRunner(app, handle_signals=False, access_log=None, lingering_time=0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._listen, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            logger.info("webhook request without the right secret refused")
            return web.Response(status=403)
        if request.content_length is not None and request.content_length > self._max_body:
            return web.Response(status=413)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self._application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            logger.warning("webhook request with a body that is not an update ignored")
            return web.Response(status=400)
        await self._application.update_queue.put(update)
        return web.Response(status=200)
