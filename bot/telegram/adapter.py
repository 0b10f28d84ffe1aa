"""The Telegram adapter: python-telegram-bot 22 at the edge, the engine behind it.

Updates become ``Incoming`` messages for the engine; its ``Reply`` objects become
HTML-escaped messages with inline keyboards, photos and documents. The adapter also
serves the scheduler as an ``Outlet`` (``send``) for private messages. It runs inside
the caller's event loop: ``start()`` / ``stop()``, never ``run_polling``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import html
import logging
import re
import secrets
import time
import warnings
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram import (
    BotCommand,
    CallbackQuery,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.platforms import Conversations
from bot.presses import SeenPresses
from bot.redaction import TokenRedaction
from bot.settings import Settings
from bot.telegram.ordering import PerPersonOrder
from bot.telegram.render import label_of, send_replies, topic_of, while_typing
from bot.telegram.text import MESSAGE_LIMIT, addressed_command, utf16_len
from bot.telegram.webhook import WebhookServer
from core import content
from core.commands import command_menu
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

APOLOGY = content.text("adapters.apology")
NOT_YOURS = content.text("adapters.not_yours")
CHOSEN_MARK = "✓"
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
INTERACTIVE_RETRIES = 3
INTERACTIVE_LIMIT: dict[str, Any] = {"rate_limit_args": INTERACTIVE_RETRIES}
"""How often PTB's rate limiter tries an answer to a person again after a 429. Scheduled
sends get no such retry (``AIORateLimiter(max_retries=0)``): the scheduler paces them and
owns their retries (core/pacing.py, core/delivery.py), so they are not retried twice."""
STARTUP_ATTEMPTS = 5
STARTUP_RETRY_FIRST_DELAY = 2.0
PRESSED_MEMORY = 2048
POLLING_WARNING_INTERVAL = 600.0
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class TelegramStartupError(RuntimeError):
    """The bot could not start; the message never contains the token."""


class TelegramAdapter:
    """Telegram front end of the engine, and the scheduler's outlet for Telegram users."""

    platform = Platform.TELEGRAM.value

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Conversations,
        poll_timeout: float = 10.0,
        request_timeout: float | None = None,
    ) -> None:
        """``poll_timeout``: seconds a getUpdates long poll waits; ``request_timeout``:
        read timeout in seconds of every other request (None: PTB's default, 5 s)."""
        if settings.telegram_token is None:
            raise ValueError("TELEGRAM_TOKEN is not set")
        self._settings = settings
        self._engine = engine
        self._poll_timeout = poll_timeout
        self._request_timeout = request_timeout
        self._token = settings.telegram_token.get_secret_value()
        self._redaction = TokenRedaction(self._token)
        self._webhook_secret = self._choose_webhook_secret(settings)
        self._application: Application | None = None
        self._webhook: WebhookServer | None = None
        self._pressed: SeenPresses[tuple[int, int]] = SeenPresses(PRESSED_MEMORY)
        self._last_polling_warning: dict[str, float] = {}

    # ----------------------------------------------------------------- lifecycle

    @property
    def webhook_mode(self) -> bool:
        return self._settings.telegram_webhook_url is not None

    async def start(self) -> None:
        """Connect (getMe), register the command menu, then poll or serve the webhook."""
        if self._application is not None:
            raise RuntimeError("the Telegram adapter is already started")
        self._redaction.install()
        logging.getLogger("httpx").setLevel(logging.WARNING)
        application = self._build_application()
        self._application = application
        try:
            await self._initialize(application)
            await application.bot.set_my_commands(
                [BotCommand(c.name, c.description) for c in command_menu()]
            )
            await application.start()
            if self.webhook_mode:
                await self._start_webhook(application)
            else:
                assert application.updater is not None  # ApplicationBuilder made one
                await application.updater.start_polling(
                    timeout=dtm.timedelta(seconds=self._poll_timeout),
                    bootstrap_retries=3,
                    allowed_updates=ALLOWED_UPDATES,
                    error_callback=self._on_polling_error,
                )
        except TelegramError as exc:
            await self._teardown(application)
            raise TelegramStartupError(
                f"Telegram bot could not start: {type(exc).__name__}: {self._redact(exc)}"
            ) from None
        except BaseException:
            await self._teardown(application)
            raise
        logger.info(
            "Telegram bot @%s started (%s)",
            application.bot.username,
            "webhook" if self.webhook_mode else "long polling",
        )

    async def _initialize(self, application: Application) -> None:
        """getMe and friends, retried with backoff while the network is down at start-up
        (a host that boots before its network); a wrong token fails at once."""
        delay = STARTUP_RETRY_FIRST_DELAY
        for attempt in range(1, STARTUP_ATTEMPTS + 1):
            try:
                await application.initialize()
                return
            except NetworkError as exc:
                if attempt == STARTUP_ATTEMPTS:
                    raise
                logger.warning(
                    "Telegram not reachable at start-up (%s); trying again in %.0f s",
                    type(exc).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay *= 2

    async def stop(self) -> None:
        """Stop receiving, finish the updates in hand, close the HTTP clients."""
        application, self._application = self._application, None
        if application is not None:
            await self._teardown(application)
            logger.info("Telegram bot stopped")

    async def _teardown(self, application: Application) -> None:
        try:
            webhook, self._webhook = self._webhook, None
            if webhook is not None:
                await webhook.stop()
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
        except TelegramError as exc:
            logger.warning("Telegram shutdown was not clean: %s", self._redact(exc))
        finally:
            self._application = None
            self._redaction.uninstall()

    def _build_application(self) -> Application:
        builder = (
            ApplicationBuilder()
            .token(self._token)
            .rate_limiter(AIORateLimiter(max_retries=0))
            .concurrent_updates(PerPersonOrder())
            .job_queue(None)
            .defaults(
                Defaults(
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            )
            .get_updates_read_timeout(self._poll_timeout + 10)
        )
        if self._request_timeout is not None:
            builder = builder.read_timeout(self._request_timeout)
        api_url = self._settings.telegram_api_url
        if api_url:
            builder = builder.base_url(api_url).base_file_url(_file_url(api_url))
        application = builder.build()
        # Every message a person sends (text, captions, stickers, voice, photos, files,
        # locations, polls...), but not service messages (joins, pins, topic changes);
        # edits only when they carry words (see Engine._edited).
        application.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self._on_message)
        )
        application.add_handler(
            MessageHandler(
                filters.UpdateType.EDITED_MESSAGE & (filters.TEXT | filters.CAPTION),
                self._on_message,
            )
        )
        application.add_handler(CallbackQueryHandler(self._on_press))
        application.add_error_handler(self._on_error)
        return application

    async def _start_webhook(self, application: Application) -> None:
        """Register the webhook, then serve it with our own server (bot/telegram/webhook.py:
        the secret is checked before the body is read, and the body is capped)."""
        url = self._settings.telegram_webhook_url
        assert url is not None and self._webhook_secret is not None
        await application.bot.set_webhook(
            url=url, secret_token=self._webhook_secret, allowed_updates=ALLOWED_UPDATES
        )
        server = WebhookServer(
            application,
            listen=self._settings.telegram_webhook_listen,
            port=self._settings.port,
            path=urlsplit(url).path,
            secret=self._webhook_secret,
        )
        await server.start()
        self._webhook = server

    @staticmethod
    def _choose_webhook_secret(settings: Settings) -> str | None:
        if settings.telegram_webhook_url is None:
            return None
        if settings.telegram_webhook_secret is None:
            logger.warning(
                "TELEGRAM_WEBHOOK_SECRET is not set: using a random secret for this run "
                "(set one when several workers share the webhook)"
            )
            return secrets.token_urlsafe(32)
        secret = settings.telegram_webhook_secret.get_secret_value()
        if not _WEBHOOK_SECRET.match(secret):
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        return secret

    # ----------------------------------------------------------------- Outlet

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Deliver ``replies`` to the person's private chat (for the scheduler).

        Raises ``OutcomeUnknown`` when a request may have reached Telegram unanswered
        (a read or write timeout, a connection dropped mid-response): the Bot API has no
        idempotency key and no way to ask whether a message arrived, so it must not be
        sent again blindly. ``DeliveryError`` only when nothing went out: a connect
        error, a pool timeout, an error answer (5xx included).
        """
        application = self._running_application()
        try:
            await send_replies(application.bot, int(user_id), replies)
        except Forbidden as exc:
            raise RecipientUnreachable(self._redact(exc)) from None
        except RetryAfter as exc:
            raise RateLimited(_retry_after_seconds(exc)) from None
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise RecipientUnreachable(self._redact(exc)) from None
            raise DeliveryError(self._redact(exc)) from None
        except NetworkError as exc:
            if _may_have_arrived(exc):
                raise OutcomeUnknown(f"{type(exc).__name__}: {self._redact(exc)}") from None
            raise DeliveryError(f"{type(exc).__name__}: {self._redact(exc)}") from None
        except TelegramError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {self._redact(exc)}") from None

    def _running_application(self) -> Application:
        if self._application is None:
            raise DeliveryError("the Telegram adapter is not running")
        return self._application

    # ----------------------------------------------------------------- updates

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text, or a caption read as text; a message without words gets the engine's
        "I can only read text" (``Incoming.media``); an edit gets the crisis check."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        words = message.text if message.text is not None else message.caption
        media = None if message.text is not None else media_kind(message)
        text = addressed_command(words, context.bot.username) if words else ""
        if text is None:
            return  # a command addressed to another bot in the same group
        private = message.chat.type == ChatType.PRIVATE
        if media is not None and not private and not _replies_to_bot(message, context.bot.id):
            return  # a group's photos and stickers are not for the bot unless they answer it
        incoming = Incoming(
            platform=self.platform,
            user_id=str(user.id),
            text=text,
            private=private,
            ephemeral=False,
            display_name=user.first_name,
            media=media,
            edited=update.edited_message is not None,
        )
        topic = topic_of(message)
        replies = await while_typing(
            context.bot, message.chat_id, self._engine.handle(incoming), topic
        )
        reply_to = None if private else message.message_id
        await self._answer(context.application, message.chat_id, user.id, replies, reply_to, topic)

    async def _on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        message = query.message
        owner = _button_owner(message)
        if owner is not None and owner != query.from_user.id:
            # Someone else's keyboard in a group: refused quietly, the keyboard untouched.
            with contextlib.suppress(TelegramError):
                await query.answer(NOT_YOURS)
            return
        key = (message.chat.id, message.message_id) if message is not None else None
        if query.data is None or (key is not None and not self._pressed.first(key)):
            await query.answer()  # a second press on an old keyboard, or not ours
            return
        acknowledged = asyncio.create_task(self._acknowledge(query))
        try:
            chat_id = message.chat.id if message is not None else query.from_user.id
            private = message is None or message.chat.type == ChatType.PRIVATE
            incoming = Incoming(
                platform=self.platform,
                user_id=str(query.from_user.id),
                text="",
                payload=query.data,
                private=private,
                ephemeral=False,
                display_name=query.from_user.first_name,
            )
            topic = topic_of(message)
            replies = await while_typing(context.bot, chat_id, self._engine.handle(incoming), topic)
        finally:
            await acknowledged
        # In a group the answer replies to the owner's message, as the keyboard did, so
        # the next keyboard has the same owner (``_button_owner``).
        reply_to = None if private or owner is None else _owner_message_id(message)
        await self._answer(
            context.application, chat_id, query.from_user.id, replies, reply_to, topic
        )

    async def _acknowledge(self, query: CallbackQuery) -> None:
        """Answer the press at once, then take the keyboard off the pressed message."""
        try:
            await query.answer()
        except TelegramError as exc:
            logger.debug("answerCallbackQuery failed: %s", self._redact(exc))
        message = query.message
        if not isinstance(message, Message):
            return  # older than 48 hours: Telegram no longer lets us edit it
        label = label_of(message, query.data)
        try:
            text = message.text
            if text and label and utf16_len(text) + utf16_len(label) + 4 <= MESSAGE_LIMIT:
                chosen = f"{message.text_html}\n\n<i>{CHOSEN_MARK} {html.escape(label)}</i>"
                await message.edit_text(chosen, reply_markup=None)
            else:
                await message.edit_reply_markup(reply_markup=None)
        except TelegramError as exc:
            logger.debug("could not take the keyboard off a pressed message: %s", self._redact(exc))

    async def _answer(
        self,
        application: Application,
        chat_id: int,
        user_id: int,
        replies: Sequence[Reply],
        reply_to: int | None,
        topic: int | None = None,
    ) -> None:
        """Send the engine's replies to the chat (and forum topic) the person wrote in."""
        try:
            await send_replies(
                application.bot, chat_id, replies, reply_to, topic, retries=INTERACTIVE_RETRIES
            )
        except Forbidden:
            if chat_id == user_id:
                logger.info("Telegram user blocked the bot; marking unreachable")
                await self._engine.mark_unreachable(self.platform, str(user_id))
            else:
                logger.info("Telegram group chat refused our message (bot removed?)")

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One failed update is logged and apologised for; the others carry on."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error(
            "Telegram update %s failed: %s: %s",
            update_id,
            type(error).__name__,
            self._redact(error) if error else "",
            exc_info=error,
        )
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            return
        topic = topic_of(update.effective_message) if isinstance(update, Update) else None
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                chat.id,
                html.escape(APOLOGY),
                message_thread_id=topic,
                **INTERACTIVE_LIMIT,
            )

    def _on_polling_error(self, error: TelegramError) -> None:
        """Called by PTB's retry loop, which backs off by itself; warn once per outage."""
        kind = f"{type(error).__name__}: {self._redact(error)}"
        now = time.monotonic()
        last = self._last_polling_warning.get(kind)
        if last is None or now - last > POLLING_WARNING_INTERVAL:
            self._last_polling_warning[kind] = now
            logger.warning("Telegram polling failed (%s); retrying with backoff", kind)
        else:
            logger.debug("Telegram polling failed again (%s)", kind)

    def _redact(self, value: object) -> str:
        return self._redaction.redact(str(value))


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def media_kind(message: Message) -> str:
    """What a message without text is, in the engine's words (core.messages.MEDIA_KINDS)."""
    if message.sticker is not None:
        return "sticker"
    if message.voice is not None or message.audio is not None:
        return "voice" if message.voice is not None else "file"
    if message.video_note is not None:
        return "video_note"
    if message.photo:
        return "photo"
    if message.video is not None or message.animation is not None:
        return "video"
    if message.document is not None:
        return "file"
    if message.location is not None or message.venue is not None:
        return "location"
    if message.poll is not None:
        return "poll"
    if message.contact is not None:
        return "contact"
    return "other"


def _may_have_arrived(error: NetworkError) -> bool:
    """Whether a request that failed this way may still have been carried out.

    PTB raises ``TimedOut`` / ``NetworkError`` from the httpx error (``__cause__``).
    Connect errors and pool timeouts happen before a byte is sent; an error answer from
    the server (PTB's NetworkError for 5xx, with no httpx cause) says it was not done.
    Read and write timeouts and dropped connections leave the outcome unknown.
    """
    cause = error.__cause__
    if cause is None:
        return False  # an answer came back (e.g. 502 Bad Gateway): not carried out
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return False
    return isinstance(cause, httpx.TransportError)


def _button_owner(message: object) -> int | None:
    """Whose buttons these are: in a group, our messages with buttons reply to the message
    of the person they answer, so that person's id; None in a private chat, or when
    Telegram no longer includes the replied-to message."""
    if not isinstance(message, Message) or message.chat.type == ChatType.PRIVATE:
        return None
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.is_bot:
        return None
    return replied.from_user.id


def _owner_message_id(message: object) -> int | None:
    """The id of the owner's message a group keyboard replied to."""
    if isinstance(message, Message) and message.reply_to_message is not None:
        return message.reply_to_message.message_id
    return None


def _file_url(api_url: str) -> str:
    """The file base URL of a self-hosted Bot API server: ``…/bot`` becomes ``…/file/bot``."""
    if api_url.endswith("/bot"):
        return api_url[: -len("/bot")] + "/file/bot"
    return api_url


def _retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)
