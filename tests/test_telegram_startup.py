"""Start-up against a Bot API that is briefly unreachable, or refuses the token."""

from __future__ import annotations

import pytest

from bot.telegram import adapter as adapter_module
from bot.telegram.adapter import TelegramAdapter, TelegramStartupError
from tests.fake_telegram import FakeTelegram
from tests.test_telegram_adapter import TOKEN, StandInEngine, settings_for


async def test_start_retries_while_the_api_is_unreachable(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(adapter_module, "STARTUP_RETRY_FIRST_DELAY", 0.01)
    async with FakeTelegram(TOKEN) as fake:
        fake.fail_next("getMe", 502, "Bad Gateway")
        fake.fail_next("getMe", 502, "Bad Gateway")
        telegram = TelegramAdapter(settings=settings_for(fake), engine=StandInEngine())
        await telegram.start()
        try:
            assert len(fake.calls_to("getMe")) == 3
            assert fake.calls_to("setMyCommands")
        finally:
            await telegram.stop()


async def test_a_refused_token_fails_at_once_without_printing_it():
    async with FakeTelegram(TOKEN) as fake:
        fake.fail_next("getMe", 401, "Unauthorized")
        telegram = TelegramAdapter(settings=settings_for(fake), engine=StandInEngine())
        with pytest.raises(TelegramStartupError) as raised:
            await telegram.start()
        assert len(fake.calls_to("getMe")) == 1
        assert TOKEN not in str(raised.value)
