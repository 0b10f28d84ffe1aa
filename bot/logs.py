"""Logging, configured once at start-up, with secrets redacted from every record."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable

from bot.redaction import RedactingFormatter

__all__ = ["RedactingFormatter", "configure"]


def configure(level: str, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at ``level`` (a logging level name), every line redacted
    (bot/redaction.py) of ``secrets`` and anything shaped like a token."""
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
