"""End to end, one person on two platforms: the fake Telegram and the fake Discord
servers in one test, the real python-telegram-bot and discord.py stacks, one engine on
a real SQLite file, and the real dispatcher sending scheduled messages where the person
chose."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.discord.adapter import DiscordAdapter
from bot.settings import Settings
from bot.telegram import TelegramAdapter
from core import content
from core.delivery import Dispatcher
from core.engine import Engine
from storage.database import Database
from tests.conftest import FakeClock
from tests.fake_discord import FakeDiscord, user_payload
from tests.fake_telegram import FakeTelegram
from tests.test_invites_e2e import dm_press, dm_say, dm_texts, tg_press, tg_say, to_chat
from tests.test_telegram_adapter import TOKEN, settings_for

FOOTER = content.text("strengths.list_footer")
"""The last message /strengths sends: waiting for it leaves nothing in flight."""
SAM_TELEGRAM = 6001
SAM_DISCORD = user_payload(1_400_000_000_000_000_001, "sam")


@pytest.fixture
async def both(
    monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> AsyncIterator[tuple[FakeTelegram, TelegramAdapter, FakeDiscord, DiscordAdapter]]:
    discord_fake = FakeDiscord()
    await discord_fake.start()
    discord_fake.patch(monkeypatch)
    async with FakeTelegram(TOKEN) as telegram_fake:
        telegram = TelegramAdapter(
            settings=settings_for(telegram_fake), engine=engine, poll_timeout=2
        )
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, discord_token="fake-bot-token", discord_guild_id=discord_fake.guild_id
        )
        discord = DiscordAdapter(settings=settings, engine=engine, guild_ready_timeout=0.05)
        await telegram.start()
        await discord.start()
        try:
            await asyncio.wait_for(discord_fake.identified.wait(), 5)
            yield telegram_fake, telegram, discord_fake, discord
        finally:
            await discord.stop()
            await telegram.stop()
            await discord_fake.close()


async def test_link_and_unlink_across_telegram_and_discord_with_data_on_both_sides(
    both: tuple[FakeTelegram, TelegramAdapter, FakeDiscord, DiscordAdapter],
    db: Database,
    clock: FakeClock,
):
    tg_fake, telegram, dc_fake, discord = both
    await tg_say(tg_fake, SAM_TELEGRAM, "/strengths add Patient with people", "Saved")
    await tg_say(tg_fake, SAM_TELEGRAM, "/affirmations 10:30", "10:30")
    await dm_say(dc_fake, SAM_DISCORD, "/strengths add Good at puzzles", "Saved")
    await dm_say(dc_fake, SAM_DISCORD, "/mood 3", "")

    (code_message, *_) = await tg_say(tg_fake, SAM_TELEGRAM, "/link", "Your link code")
    code = code_message.params["text"].split("/link ", 1)[1].split()[0]
    await dm_say(dc_fake, SAM_DISCORD, f"/link {code}", "scheduled messages")
    await dm_press(dc_fake, SAM_DISCORD, "Discord", "go to Discord")

    (on_discord, *_) = await dm_say(dc_fake, SAM_DISCORD, "/strengths", FOOTER)
    (on_telegram, *_) = await tg_say(tg_fake, SAM_TELEGRAM, "/strengths", FOOTER)
    for listing in (on_discord.content or "", on_telegram.params["text"]):
        assert "Patient with people" in listing and "Good at puzzles" in listing

    # The affirmation Sam set on Telegram now comes on Discord, where Sam chose.
    clock.advance(minutes=31)
    sent_before = len(to_chat(tg_fake, SAM_TELEGRAM))
    dms_before = len(dm_texts(dc_fake, SAM_DISCORD))
    report = await Dispatcher(db, [telegram, discord], clock=clock).run_pass()
    assert report.sent == 1 and report.by_platform.get("discord") == 1
    assert len(dm_texts(dc_fake, SAM_DISCORD)) == dms_before + 1
    assert len(to_chat(tg_fake, SAM_TELEGRAM)) == sent_before

    await tg_say(tg_fake, SAM_TELEGRAM, "/unlink", "Which platform should keep")
    await tg_press(tg_fake, SAM_TELEGRAM, "Telegram", "stays on Telegram")
    (after_tg, *_) = await tg_say(tg_fake, SAM_TELEGRAM, "/strengths", FOOTER)
    assert "Good at puzzles" in after_tg.params["text"]
    (after_dc, *_) = await dm_say(dc_fake, SAM_DISCORD, "/strengths", "Is it something")
    assert "puzzles" not in (after_dc.content or "")
