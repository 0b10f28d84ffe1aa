"""Logging, configured once at start-up, with secrets redacted from every record."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable

# A Telegram bot token anywhere (PTB and httpx put it in request URLs).
_TELEGRAM_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
# A Discord bot token (three dot-separated base64 parts).
_DISCORD_TOKEN = re.compile(r"[A-Za-z0-9_-]{23,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{27,}")
# Discord interaction and webhook tokens in REST paths (discord.py logs them at DEBUG).
_DISCORD_PATH_TOKEN = re.compile(r"(/(?:webhooks|interactions)/\d+/)[A-Za-z0-9_.-]{20,}")
# Token fields in logged payloads: discord.py logs every gateway event at DEBUG, and an
# INTERACTION_CREATE carries the interaction's token ({'token': '...'}); setWebhook
# sends the webhook secret as ``secret_token``.
_TOKEN_FIELD = re.compile(
    r"""(['"](?:token|secret_token|access_token)['"]\s*:\s*['"])[^'"]+""", re.IGNORECASE
)
_FORM_SECRET = re.compile(r"(secret_token=)[^&\s'\"]+", re.IGNORECASE)
_SECRET_HEADER = re.compile(
    r"""(X-Telegram-Bot-Api-Secret-Token['"]?\s*[:=]\s*['"]?)[A-Za-z0-9_-]+""", re.IGNORECASE
)
REDACTED = "[REDACTED]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes known secrets and anything shaped like a bot token."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _DISCORD_PATH_TOKEN.sub(rf"\1{REDACTED}", text)
        for field in (_TOKEN_FIELD, _FORM_SECRET, _SECRET_HEADER):
            text = field.sub(rf"\1{REDACTED}", text)
        text = _DISCORD_TOKEN.sub(REDACTED, text)
        return _TELEGRAM_TOKEN.sub(REDACTED, text)


def configure(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO; Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG the platform libraries log whole updates and requests: message texts,
    # which are personal. They stay at INFO unless REBOUND_PLATFORM_DEBUG=1 is set.
    if root.level < logging.INFO and os.environ.get("REBOUND_PLATFORM_DEBUG") != "1":
        for name in ("telegram", "discord"):
            logging.getLogger(name).setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
