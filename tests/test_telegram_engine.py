"""The Telegram adapter with the real engine on a real SQLite file, over the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.telegram import TelegramAdapter
from core.engine import Engine
from storage.database import Database
from storage.repositories import users
from tests.fake_telegram import BOT_USER, FakeTelegram
from tests.test_telegram_adapter import TOKEN, USER, settings_for


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
async def adapter(fake: FakeTelegram, engine: Engine) -> AsyncIterator[TelegramAdapter]:
    telegram = TelegramAdapter(settings=settings_for(fake), engine=engine, poll_timeout=2)
    await telegram.start()
    try:
        yield telegram
    finally:
        await telegram.stop()


async def test_mood_buttons_round_trip(fake: FakeTelegram, adapter: TelegramAdapter):
    await fake.send_text("/mood")
    (question,) = await fake.wait_for("sendMessage")
    keyboard = question.params["reply_markup"]["inline_keyboard"]
    labels = [key["text"] for row in keyboard for key in row]
    assert labels[:5] == ["1", "2", "3", "4", "5"]
    three = next(key for row in keyboard for key in row if key["text"] == "3")

    await fake.press(fake.message(question), three["callback_data"])

    await fake.wait_for("answerCallbackQuery")
    (edited,) = await fake.wait_for("editMessageText")
    assert edited.params["text"].endswith("<i>✓ 3</i>")
    await fake.wait_for("sendMessage", 2)
    later = [c.params["text"] for c in fake.calls_to("sendMessage")[1:]]
    assert later, "the press should get an answer from the mood dialog"


async def test_strengths_add_and_list(fake: FakeTelegram, adapter: TelegramAdapter):
    await fake.send_text("/strengths add Patient & <careful> with details")
    await fake.wait_for("sendMessage")
    await fake.send_text("/strengths")
    sent = await fake.wait_for("sendMessage", 2)
    listing = sent[-1].params["text"]
    assert "Patient &amp; &lt;careful&gt; with details" in listing


async def test_personal_data_stays_out_of_groups(fake: FakeTelegram, adapter: TelegramAdapter):
    await fake.send_text("/strengths add Calm under pressure")
    await fake.wait_for("sendMessage")
    group = {"id": -100777, "type": "supergroup", "title": "Job club"}
    await fake.send_text(f"/strengths@{BOT_USER['username']}", chat=group)
    sent = await fake.wait_for("sendMessage", 2)
    in_group = [c.params["text"] for c in sent if c.params["chat_id"] == "-100777"]
    assert in_group and all("Calm under pressure" not in text for text in in_group)


async def test_blocked_user_is_marked_unreachable_in_the_database(
    fake: FakeTelegram, adapter: TelegramAdapter, db: Database
):
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await fake.send_text("/help")
    await fake.wait_for("sendMessage")
    for _ in range(100):
        async with db.read() as session:
            person = await users.find(session, "telegram", str(USER))
        if person is not None and person.unreachable_at is not None:
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the person was never marked unreachable")
