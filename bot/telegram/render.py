"""Rendering the engine's replies on Telegram: HTML text, inline keyboards, files, typing.

``Reply.text`` is plain text: it is split at Telegram's limit first, then escaped for
HTML (the one parse mode the adapter uses, set in PTB's ``Defaults``).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.helpers import create_deep_linked_url

from bot.telegram.text import CAPTION_LIMIT, split_text, utf16_len
from core.messages import DEEP_LINK_MARK, Button, Reply

logger = logging.getLogger(__name__)

T = TypeVar("T")

TYPING_DELAY = 0.6
"""Seconds the engine may take before the chat shows "typing…"."""
TYPING_REFRESH = 4.5
"""Telegram shows a chat action for about five seconds."""
SHORT_LABEL = 4
"""Buttons whose labels are this short (1-5, yes/no) share a row, five at most."""


async def send_replies(
    bot: Bot,
    chat_id: int,
    replies: Sequence[Reply],
    reply_to: int | None = None,
    thread_id: int | None = None,
    *,
    retries: int | None = None,
) -> None:
    """Send each reply: text split at the limit, keyboard on its last part, file after.

    A file takes the text as its caption when it fits (1024 units); ``reply_to`` (used
    in groups) quotes the person's message on the first thing sent; ``thread_id`` is
    the forum topic (``message_thread_id``) the person wrote in, None for the General
    topic and every chat that is not a forum. ``retries``: how often PTB's rate limiter
    tries a request again after a 429 (``RetryAfter``); None: the limiter's default
    (none: scheduled sends are paced and retried by the scheduler, core/pacing.py).
    """
    limit: dict[str, Any] = {} if retries is None else {"rate_limit_args": retries}
    for reply in replies:
        keyboard = keyboard_for(reply.buttons)
        chunks = split_text(with_deep_link(reply, bot.username))
        attachment = reply.attachment
        if reply.typing:
            await bot.send_chat_action(
                chat_id, chat_action(reply), message_thread_id=thread_id, **limit
            )
        caption = None
        if attachment is not None and len(chunks) == 1 and utf16_len(chunks[0]) <= CAPTION_LIMIT:
            caption = chunks.pop()
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1 and attachment is None
            await bot.send_message(
                chat_id,
                html.escape(chunk, quote=False),
                reply_markup=keyboard if last else None,
                reply_parameters=_reply_parameters(reply_to),
                message_thread_id=thread_id,
                **limit,
            )
            reply_to = None
        if attachment is None:
            continue
        send_file = bot.send_photo if attachment.kind == "photo" else bot.send_document
        await send_file(
            chat_id,
            InputFile(attachment.data, filename=attachment.filename),
            caption=html.escape(caption, quote=False) if caption else None,
            reply_markup=keyboard,
            reply_parameters=_reply_parameters(reply_to),
            message_thread_id=thread_id,
            **limit,
        )
        reply_to = None


def with_deep_link(reply: Reply, bot_username: str) -> str:
    """The reply's text with ``DEEP_LINK_MARK`` replaced by ``https://t.me/<bot>?start=<payload>``
    (PTB's ``helpers.create_deep_linked_url``) when the reply carries a deep-link payload."""
    payload = reply.meta.get("deep_link")
    if not payload or DEEP_LINK_MARK not in reply.text:
        return reply.text
    return reply.text.replace(DEEP_LINK_MARK, create_deep_linked_url(bot_username, payload))


KEYBOARD_LIMIT = 100
"""Buttons in one inline keyboard (Bot API: at most 100)."""


def keyboard_for(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """An inline keyboard: short labels (1-5, yes/no) share rows of five, others stack.

    At most ``KEYBOARD_LIMIT`` buttons (Telegram refuses a larger inline keyboard); the
    dialogs page long lists well before that (core/limits.py), so this is a last guard.
    """
    if not buttons:
        return None
    if len(buttons) > KEYBOARD_LIMIT:
        logger.warning("a keyboard of %d buttons cut to %d", len(buttons), KEYBOARD_LIMIT)
        buttons = buttons[:KEYBOARD_LIMIT]
    keys = [InlineKeyboardButton(b.label, callback_data=b.payload) for b in buttons]
    if all(len(b.label) <= SHORT_LABEL for b in buttons):
        rows = [keys[i : i + 5] for i in range(0, len(keys), 5)]
    else:
        rows = [[key] for key in keys]
    return InlineKeyboardMarkup(rows)


def label_of(message: Message, payload: str | None) -> str | None:
    """The label of the button carrying ``payload`` on ``message``, if it is still there."""
    markup = message.reply_markup
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for key in row:
            if key.callback_data == payload:
                return key.text
    return None


def chat_action(reply: Reply) -> str:
    if reply.attachment is None:
        return ChatAction.TYPING
    if reply.attachment.kind == "photo":
        return ChatAction.UPLOAD_PHOTO
    return ChatAction.UPLOAD_DOCUMENT


async def while_typing(
    bot: Bot, chat_id: int, work: Awaitable[T], thread_id: int | None = None
) -> T:
    """Await ``work``; if it takes more than a moment, show "typing…" meanwhile (in the
    forum topic ``thread_id``, if any)."""
    typing = asyncio.create_task(_keep_typing(bot, chat_id, thread_id))
    try:
        return await work
    finally:
        typing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await typing


async def _keep_typing(bot: Bot, chat_id: int, thread_id: int | None = None) -> None:
    await asyncio.sleep(TYPING_DELAY)
    while True:
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING, message_thread_id=thread_id)
        except TelegramError as exc:
            logger.debug("typing indicator failed: %s", type(exc).__name__)
            return
        await asyncio.sleep(TYPING_REFRESH)


def topic_of(message: object) -> int | None:
    """The forum topic a message is in (its ``message_thread_id``), or None: the General
    topic, a chat that is no forum, or a message too old to be given to the bot. A reply
    thread in an ordinary group also has a thread id, but sending there with one fails."""
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


def _reply_parameters(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)
