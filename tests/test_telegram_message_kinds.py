"""Every kind of Telegram message gets an answer, in the place it was asked: captions
are text (crisis check first), stickers, voice, photos, files, locations and polls get a
kind "I can only read text" that keeps the open dialog, edits get the crisis check only,
and forum topics are answered in their topic. Real PTB, real engine, fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.telegram import TelegramAdapter
from core import content
from core.engine import Engine
from storage.database import Database
from storage.repositories import moods, users
from tests.fake_telegram import Call, FakeTelegram
from tests.test_telegram_adapter import TOKEN, USER, settings_for

PHOTO = {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]}
MEDIA: dict[str, dict[str, Any]] = {
    "sticker": {
        "sticker": {
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "voice": {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
    "photo": PHOTO,
    "file": {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "cv.pdf"}},
    "location": {"location": {"latitude": 51.5, "longitude": -0.1}},
    "poll": {
        "poll": {
            "id": "1",
            "question": "Which one?",
            "options": [
                {"text": "a", "voter_count": 0, "persistent_id": "a"},
                {"text": "b", "voter_count": 0, "persistent_id": "b"},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    },
}
FORUM = {"id": -1001234, "type": "supergroup", "title": "Job hunters", "is_forum": True}


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


async def _answers(fake: FakeTelegram, before: int, count: int = 1) -> list[Call]:
    sent = await fake.wait_for("sendMessage", before + count)
    return sent[before:]


def _texts(calls: list[Call]) -> list[str]:
    return [c.params["text"] for c in calls]


async def test_a_caption_is_read_as_text_and_crisis_checked_first(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    words = "I want to kill myself"
    await fake.send_text(words, user_id=5001)
    (typed,) = await _answers(fake, 0)
    await fake.send_message({**PHOTO, "caption": words})
    (captioned,) = await _answers(fake, 1)
    assert captioned.params["text"] == typed.params["text"]
    assert captioned.params["text"] != content.text("engine.text_only", what="photos")


async def test_a_caption_can_be_a_command(
    fake: FakeTelegram, adapter: TelegramAdapter, db: Database
):
    await fake.send_message({**PHOTO, "caption": "/mood 4"})
    (logged,) = await _answers(fake, 0)
    assert "4/5" in logged.params["text"]


@pytest.mark.parametrize("kind", sorted(MEDIA))
async def test_media_without_words_gets_a_kind_answer_and_keeps_the_dialog(
    fake: FakeTelegram, adapter: TelegramAdapter, db: Database, kind: str
):
    await fake.send_text("/mood")
    (question,) = await _answers(fake, 0)
    await fake.send_message(MEDIA[kind])
    answer = await _answers(fake, 1, 2)
    what = content.text(f"engine.media.{kind}")
    assert _texts(answer) == [
        content.text("engine.text_only", what=what),
        question.params["text"],
    ]
    assert answer[-1].params["reply_markup"] == question.params["reply_markup"]
    await fake.send_text("3")
    (logged, *_) = await _answers(fake, 3)
    assert "3/5" in logged.params["text"]
    async with db.read() as session:
        person = await users.find(session, "telegram", str(USER))
        assert person is not None


async def _sent_to(fake: FakeTelegram, chat: int, text: str) -> list[str]:
    """Wait until ``text`` was sent to ``chat``; returns everything sent there."""
    for _ in range(200):
        sent = [c.params["text"] for c in fake.calls_to("sendMessage")]
        sent = [
            t
            for c, t in zip(fake.calls_to("sendMessage"), sent, strict=True)
            if c.params["chat_id"] == str(chat)
        ]
        if text in sent:
            return sent
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} never sent to {chat}")


async def test_an_edit_is_not_run_again_but_a_crisis_in_it_is_answered(
    fake: FakeTelegram, adapter: TelegramAdapter, db: Database
):
    """Choice (README): an edited message gets the crisis check and nothing else."""
    words = "I want to end my life"
    await fake.send_text(words, user_id=5002)  # the same words, typed by someone else
    (typed,) = await _answers(fake, 0)
    update = await fake.send_text("/mood 2")
    await _sent_to(fake, USER, "Logged: 2/5.")
    original = update["message"]["message_id"]
    await fake.send_message({"text": "/mood 4"}, edited=True, message_id=original)
    await fake.send_message({"text": words}, edited=True, message_id=original)
    mine = await _sent_to(fake, USER, typed.params["text"])
    assert not any("4/5" in text for text in mine)
    async with db.read() as session:
        person = await users.find(session, "telegram", str(USER))
        assert person is not None and person.crisis_at is not None
        assert [m.score for m in await moods.recent(session, person.id)] == [2]


async def test_forum_topics_are_answered_in_their_topic_for_text_and_buttons(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    await fake.send_message({"text": "hello", "message_thread_id": 77}, chat=FORUM)
    (greeting,) = await _answers(fake, 0)
    assert greeting.params["chat_id"] == str(FORUM["id"])
    assert greeting.params["message_thread_id"] == "77"
    payload = greeting.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]

    await fake.press(fake.message(greeting), payload)
    (pressed,) = await _answers(fake, 1)
    assert pressed.params["message_thread_id"] == "77"

    await fake.send_message({"text": "hello"}, chat=FORUM)  # the General topic
    (general,) = await _answers(fake, 2)
    assert "message_thread_id" not in general.params


async def test_a_groups_stickers_are_left_alone_unless_they_answer_the_bot(
    fake: FakeTelegram, adapter: TelegramAdapter
):
    group = {"id": -100777, "type": "group", "title": "Job hunters"}
    await fake.send_message({"text": "hello"}, chat=group)
    (greeting,) = await _answers(fake, 0)
    await fake.send_message(MEDIA["sticker"], chat=group)  # to the group, not the bot
    await fake.send_message(
        {**MEDIA["sticker"], "reply_to_message": fake.message(greeting)}, chat=group
    )
    (answer,) = await _answers(fake, 1)
    assert answer.params["text"] == content.text("engine.text_only", what="stickers")
    await fake.send_text("/help", chat=group)
    await fake.wait_for("sendMessage", 3)
    assert len(fake.calls_to("sendMessage")) == 3, "the sticker to the group got an answer"
