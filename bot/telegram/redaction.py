"""Keep the bot token out of every log record.

PTB logs the API URL (which holds the token) at DEBUG, httpx logs every request URL at
INFO, and ``InvalidToken`` quotes the token. A ``TokenRedaction`` filter rewrites any
record that mentions the token, including its exception text, before a handler sees it.
"""

from __future__ import annotations

import logging

REDACTED = "<TELEGRAM_TOKEN>"
NOISY_LOGGERS = ("telegram", "httpx", "httpcore", "tornado", "apscheduler", "bot", "core")


class TokenRedaction(logging.Filter):
    """A logging filter that replaces the token in message, arguments and traceback."""

    def __init__(self, token: str) -> None:
        super().__init__("rebound.telegram.redaction")
        self._token = token
        self._loggers: list[logging.Logger] = []
        self._handlers: list[logging.Handler] = []

    def redact(self, text: str) -> str:
        return text.replace(self._token, REDACTED) if self._token else text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: leave it to the handler to report
            return True
        if self._token in message:
            record.msg, record.args = self.redact(message), None
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
        for logger in self._loggers:
            logger.removeFilter(self)
        for handler in self._handlers:
            handler.removeFilter(self)
        self._loggers.clear()
        self._handlers.clear()
