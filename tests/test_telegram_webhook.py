"""Webhook mode: the secret token is checked on every request before any handler runs."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.telegram import TelegramAdapter
from tests.fake_telegram import FakeTelegram
from tests.test_telegram_adapter import TOKEN, USER, StandInEngine, settings_for

SECRET = "right-Secret_123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def update(update_id: int, text: str) -> dict[str, object]:
    person = {"id": USER, "is_bot": False, "first_name": "Sam"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10 + update_id,
            "date": 1700000000,
            "chat": {"id": USER, "type": "private", "first_name": "Sam"},
            "from": person,
            "text": text,
        },
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
def webhook_url() -> str:
    return f"http://127.0.0.1:{free_port()}/telegram/hook"


@pytest.fixture
async def adapter(
    fake: FakeTelegram, webhook_url: str
) -> AsyncIterator[tuple[TelegramAdapter, StandInEngine]]:
    engine = StandInEngine()
    settings = settings_for(
        fake,
        telegram_webhook_url=webhook_url,
        telegram_webhook_secret=SECRET,
        telegram_webhook_listen="127.0.0.1",
        port=int(webhook_url.split(":")[2].split("/")[0]),
    )
    telegram = TelegramAdapter(settings=settings, engine=engine)
    await telegram.start()
    try:
        yield telegram, engine
    finally:
        await telegram.stop()


async def post(url: str, body: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=json.dumps(body), headers=headers) as response:
            return response.status


async def test_webhook_is_registered_with_its_secret(fake: FakeTelegram, adapter, webhook_url):
    (registered,) = fake.calls_to("setWebhook")
    assert registered.params["url"] == webhook_url
    assert registered.params["secret_token"] == SECRET
    assert not fake.calls_to("getUpdates")
    assert fake.calls_to("setMyCommands")


async def test_update_with_the_right_secret_is_handled(fake: FakeTelegram, adapter, webhook_url):
    _, engine = adapter
    assert await post(webhook_url, update(1, "hello"), SECRET) == 200
    (sent,) = await fake.wait_for("sendMessage")
    assert sent.params["text"] == "You said: hello"
    assert [i.text for i in engine.seen] == ["hello"]


@pytest.mark.parametrize("secret", ["wrong-secret", None], ids=["wrong", "missing"])
async def test_update_with_a_wrong_or_missing_secret_is_refused(
    fake: FakeTelegram, adapter, webhook_url, secret
):
    _, engine = adapter
    assert await post(webhook_url, update(2, "let me in"), secret) == 403
    await asyncio.sleep(0.2)
    assert engine.seen == []
    assert not fake.calls_to("sendMessage")


async def test_webhook_without_a_configured_secret_uses_a_random_one(
    fake: FakeTelegram, webhook_url
):
    settings = settings_for(
        fake,
        telegram_webhook_url=webhook_url,
        telegram_webhook_listen="127.0.0.1",
        port=int(webhook_url.split(":")[2].split("/")[0]),
    )
    telegram = TelegramAdapter(settings=settings, engine=StandInEngine())
    await telegram.start()
    try:
        secret = fake.calls_to("setWebhook")[0].params["secret_token"]
        assert len(secret) >= 32
        assert await post(webhook_url, update(3, "hi"), None) == 403
    finally:
        await telegram.stop()


def test_webhook_secret_with_forbidden_characters_is_refused(fake: FakeTelegram):
    settings = settings_for(
        fake, telegram_webhook_url="https://example.org/hook", telegram_webhook_secret="a b"
    )
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramAdapter(settings=settings, engine=StandInEngine())


async def _headers_only(url: str, headers: dict[str, str]) -> bytes:
    """Send a POST's headers promising a 90 MB body, send no body, and read the answer.

    A server that reads the body before checking the secret never answers this; ours
    answers from the headers (the wait_for is a guard against hanging, not a timing)."""
    parts = url.split("/", 3)
    host, port = parts[2].split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    lines = [f"POST /{parts[3]} HTTP/1.1", f"Host: {host}", "Content-Length: 94371840"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.readline(), timeout=30)
    finally:
        writer.close()


@pytest.mark.parametrize("secret", ["wrong-secret", None], ids=["wrong", "missing"])
async def test_wrong_secret_is_refused_before_the_body_is_read(adapter, webhook_url, secret):
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    status_line = await _headers_only(webhook_url, headers)
    assert status_line.startswith(b"HTTP/1.1 403")


async def test_a_body_over_the_cap_is_refused_even_with_the_secret(adapter, webhook_url):
    status_line = await _headers_only(webhook_url, {"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert status_line.startswith(b"HTTP/1.1 413")
    _, engine = adapter

    # A chunked body (no Content-Length) is capped while it is read.
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b" " * (1024 * 1024)

    async with aiohttp.ClientSession() as session:
        async with session.post(
            webhook_url, data=chunks(), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as response:
            assert response.status == 413
    assert engine.seen == []


@pytest.mark.parametrize("body", [b"{not json", b"[]", b"{}", b"null", b'{"update_id": "z"}'])
async def test_a_body_that_is_not_an_update_is_a_bad_request(adapter, webhook_url, body):
    async with aiohttp.ClientSession() as session:
        async with session.post(
            webhook_url, data=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as response:
            assert response.status == 400
    assert await post(webhook_url, update(4, "still here"), SECRET) == 200


async def test_a_random_webhook_secret_is_redacted_at_platform_debug(
    fake: FakeTelegram, webhook_url: str, caplog: pytest.LogCaptureFixture
):
    import io
    import logging

    from bot.logs import RedactingFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(name)s %(message)s", [TOKEN]))
    logging.getLogger().addHandler(handler)
    caplog.set_level("DEBUG")
    settings = settings_for(
        fake,
        telegram_webhook_url=webhook_url,
        telegram_webhook_listen="127.0.0.1",
        port=int(webhook_url.split(":")[2].split("/")[0]),
    )
    telegram = TelegramAdapter(settings=settings, engine=StandInEngine())
    try:
        await telegram.start()
        await telegram.stop()
    finally:
        logging.getLogger().removeHandler(handler)
    secret = fake.calls_to("setWebhook")[0].params["secret_token"]
    # python-telegram-bot logged the call's parameters, redacted before any handler saw them.
    assert "setWebhook" in caplog.text and secret not in caplog.text
    assert "setWebhook" in stream.getvalue() and secret not in stream.getvalue()
