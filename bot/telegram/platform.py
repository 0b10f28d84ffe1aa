"""Telegram as a Rebound platform (bot/platforms.py): on when ``TELEGRAM_TOKEN`` is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.platforms import Adapter, Conversations, Registration
from core.messages import Platform
from core.pacing import PACES

if TYPE_CHECKING:
    from bot.settings import Settings


def _build(settings: Settings, engine: Conversations) -> Adapter:
    from bot.telegram.adapter import TelegramAdapter

    return TelegramAdapter(settings=settings, engine=engine)


PLATFORM = Registration(
    name=Platform.TELEGRAM.value,
    enabled=lambda settings: settings.telegram_token is not None,
    build=_build,
    pace=PACES[Platform.TELEGRAM.value],
    secrets=lambda settings: (settings.telegram_token, settings.telegram_webhook_secret),
)
