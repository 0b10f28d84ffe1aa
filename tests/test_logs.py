"""Secrets never reach the log output, whatever logs them."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactingFormatter

TELEGRAM = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
DISCORD = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789"
INTERACTION = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTA6c2VjcmV0"


def _log_through(formatter: RedactingFormatter, *messages: str) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        for message in messages:
            logger.debug("request to %s", message)
        try:
            raise RuntimeError(f"failed https://api.telegram.org/bot{TELEGRAM}/getMe")
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_known_and_token_shaped_secrets_are_redacted():
    output = _log_through(
        RedactingFormatter("%(message)s", ["my-webhook-secret"]),
        f"https://api.telegram.org/bot{TELEGRAM}/sendMessage",
        f"Authorization: Bot {DISCORD}",
        f"https://discord.com/api/v10/interactions/1234/{INTERACTION}/callback",
        f"https://discord.com/api/v10/webhooks/5678/{INTERACTION}/messages/@original",
        "header X-Telegram-Bot-Api-Secret-Token: my-webhook-secret",
    )
    for secret in (TELEGRAM, DISCORD, INTERACTION, "my-webhook-secret"):
        assert secret not in output
    assert output.count("[REDACTED]") >= 6
    assert "/interactions/1234/[REDACTED]/callback" in output


def _platform_level(**env: str) -> str:
    import os
    import subprocess
    import sys

    code = (
        "import logging; from bot import logs; logs.configure('DEBUG');"
        "print(logging.getLevelName(logging.getLogger('telegram').getEffectiveLevel()),"
        " logging.getLevelName(logging.getLogger('discord.gateway').getEffectiveLevel()))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "REBOUND_PLATFORM_DEBUG"}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    return result.stdout.strip()


def test_platform_libraries_do_not_log_message_texts_at_debug():
    """At DEBUG, PTB and discord.py print whole updates; they stay at INFO unless asked."""
    assert _platform_level() == "INFO INFO"
    assert _platform_level(REBOUND_PLATFORM_DEBUG="1") == "DEBUG DEBUG"


def test_token_fields_in_logged_payloads_are_redacted():
    """A random webhook secret is known to no formatter; its field names give it away."""
    output = _log_through(
        RedactingFormatter("%(message)s", []),
        "{'t': 'INTERACTION_CREATE', 'd': {'id': '1', 'token': 'aW50ZXJhY3Rpb246MTIz'}}",
        '{"url": "https://x.org/hook", "secret_token": "Zr4nd0m-s3cret_abc"}',
        "url=https%3A%2F%2Fx.org&secret_token=Zr4nd0m-s3cret_abc&max_connections=40",
        "headers {'X-Telegram-Bot-Api-Secret-Token': 'Zr4nd0m-s3cret_abc'}",
    )
    assert "aW50ZXJhY3Rpb246MTIz" not in output and "Zr4nd0m-s3cret_abc" not in output
    assert "'id': '1'" in output and "max_connections=40" in output
