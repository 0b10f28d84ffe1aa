"""The bot token never reaches a log record, an exception message or the console."""

from __future__ import annotations

import logging
import socket

import pytest

from bot.redaction import TokenRedaction
from bot.telegram import TelegramAdapter, TelegramStartupError
from bot.telegram import adapter as adapter_module
from core.messages import DeliveryError, Reply
from tests.fake_telegram import FakeTelegram
from tests.test_telegram_adapter import TOKEN, USER, StandInEngine, settings_for


def assert_token_absent(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "the test should have produced log records"
    assert TOKEN not in caplog.text
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in (record.exc_text or "")


async def test_token_is_never_logged_while_requests_fail(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    engine = StandInEngine()
    async with FakeTelegram(TOKEN) as fake:
        telegram = TelegramAdapter(settings=settings_for(fake), engine=engine, poll_timeout=1)
        fake.fail_next("getUpdates", 502, "Bad Gateway")
        await telegram.start()
        try:
            assert logging.getLogger("httpx").level == logging.WARNING
            await fake.send_text("hello")  # delivered once polling recovers from the 502
            await fake.wait_for("sendMessage")
            fake.fail_next("sendMessage", 500, "Internal Server Error")
            with pytest.raises(DeliveryError) as raised:
                await telegram.send(str(USER), [Reply("check-in")])
            assert TOKEN not in str(raised.value)
            await fake.send_text("boom")  # the engine raises: logged with its traceback
            await fake.wait_for("sendMessage", 3)  # reply, failed check-in, apology
        finally:
            await telegram.stop()

    assert any("polling failed" in r.getMessage() for r in caplog.records)
    assert any("[REDACTED]" in r.getMessage() for r in caplog.records), (
        "PTB logs its API URL at DEBUG; it should show up redacted"
    )
    assert any(r.exc_text and "the engine fell over" in r.exc_text for r in caplog.records)
    assert_token_absent(caplog)


async def test_rejected_token_is_reported_without_the_token(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    async with FakeTelegram("999:some-other-token") as fake:
        telegram = TelegramAdapter(settings=settings_for(fake), engine=StandInEngine())
        with pytest.raises(TelegramStartupError) as raised:
            await telegram.start()
    message = str(raised.value)
    assert "rejected" in message and TOKEN not in message
    assert raised.value.__suppress_context__
    assert_token_absent(caplog)


async def test_unreachable_api_is_reported_without_the_token(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    caplog.set_level(logging.DEBUG)
    # Every start-up attempt still runs, without the real backoff (2 + 4 + 8 + 16 s).
    monkeypatch.setattr(adapter_module, "STARTUP_RETRY_FIRST_DELAY", 0.01)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = settings_for(FakeTelegram(TOKEN))
    settings.telegram_api_url = f"http://127.0.0.1:{port}/bot"
    telegram = TelegramAdapter(settings=settings, engine=StandInEngine())
    with pytest.raises(TelegramStartupError) as raised:
        await telegram.start()
    assert TOKEN not in str(raised.value)
    assert_token_absent(caplog)


def test_redaction_filter_rewrites_message_arguments_and_traceback():
    redaction = TokenRedaction(TOKEN)
    logger = logging.getLogger("telegram.test_redaction")
    logger.addFilter(redaction)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.propagate = False  # pytest's own handler would report the malformed call
    try:
        try:
            raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe failed")
        except RuntimeError:
            logger.exception("calling %s", f"/bot{TOKEN}/getMe")
        logger.error("a malformed call %s %s", "one")  # must not raise through the filter
    finally:
        logger.propagate = True
        logger.removeHandler(handler)
        logger.removeFilter(redaction)
    first = records[0]
    assert first.getMessage() == "calling /bot[REDACTED]/getMe"
    assert first.exc_info is None and "bot[REDACTED]/getMe failed" in (first.exc_text or "")
    assert TOKEN not in logging.Formatter().format(first)
