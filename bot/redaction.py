"""Secrets kept out of logs and error messages: one set of rules, one placeholder.

What is redacted: the secrets the process was given (bot tokens, the webhook secret),
anything shaped like a Telegram or Discord bot token, Discord interaction and webhook
tokens in REST paths, and token fields in logged payloads. ``RedactingFormatter`` applies
the rules to every formatted line (bot/logs.py installs it once at start-up);
``TokenRedaction`` is a logging filter that rewrites records on the platform libraries'
loggers before any handler sees them (PTB logs its API URL, which holds the token), and
adapters use ``redact`` on error texts they raise or log.
"""

from __future__ import annotations

import logging
import re
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


NOISY_LOGGERS = ("telegram", "httpx", "httpcore", "tornado", "apscheduler", "bot", "core")
"""Loggers whose records may quote a token (the library's own and ours)."""


class Redaction:
    """The rules: ``redact(text)`` returns ``text`` with every secret replaced by
    ``REDACTED``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        """``text`` with the known secrets and token-shaped strings replaced."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _DISCORD_PATH_TOKEN.sub(rf"\1{REDACTED}", text)
        for field in (_TOKEN_FIELD, _FORM_SECRET, _SECRET_HEADER):
            text = field.sub(rf"\1{REDACTED}", text)
        text = _DISCORD_TOKEN.sub(REDACTED, text)
        return _TELEGRAM_TOKEN.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then applies ``Redaction`` to the whole line."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._redaction = Redaction(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        return self._redaction.redact(text)


class TokenRedaction(logging.Filter):
    """A logging filter that applies ``Redaction`` to a record's message, arguments,
    traceback and stack before any handler sees it. ``secrets``: the adapter's token(s)."""

    def __init__(self, *secrets: str) -> None:
        super().__init__("rebound.redaction")
        self._redaction = Redaction(secrets)
        self._loggers: list[logging.Logger] = []
        self._handlers: list[logging.Handler] = []

    def redact(self, text: str) -> str:
        """``text`` with the secrets and token-shaped strings replaced."""
        return self._redaction.redact(text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: leave it to the handler to report
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info:
            formatter = logging.Formatter()
            if not record.exc_text:
                record.exc_text = formatter.formatException(record.exc_info)
            # The formatted text replaces the live exception so no handler renders it again.
            record.exc_text, record.exc_info = self.redact(record.exc_text), None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True

    def install(self) -> None:
        """Attach to the root handlers and to every existing logger that may see the token.

        Filters on a logger only see records created on that very logger, so each
        library logger gets one; root handlers get one for records from anywhere else.
        """
        if self._loggers or self._handlers:
            return
        manager = logging.Logger.manager
        names = [
            name
            for name in list(manager.loggerDict)
            if name.split(".")[0] in NOISY_LOGGERS
            and isinstance(manager.loggerDict[name], logging.Logger)
        ]
        for name in (*NOISY_LOGGERS, *names):
            logger = logging.getLogger(name)
            if self not in logger.filters:
                logger.addFilter(self)
                self._loggers.append(logger)
        for handler in logging.getLogger().handlers:
            if self not in handler.filters:
                handler.addFilter(self)
                self._handlers.append(handler)

    def uninstall(self) -> None:
        """Remove the filter from wherever ``install`` put it."""
        for logger in self._loggers:
            logger.removeFilter(self)
        for handler in self._handlers:
            handler.removeFilter(self)
        self._loggers.clear()
        self._handlers.clear()
