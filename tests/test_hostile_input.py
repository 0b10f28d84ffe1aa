"""Hostile and broken input: forged buttons, markup, injection, huge and odd text.

Every case gets a short, clear answer and changes nothing it should not.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from core import content
from core.messages import PAYLOAD_MAX_BYTES, Reply
from storage.database import Database
from storage.models import MoodEntry, Strength, User
from tests.harness import Chat

ERROR = content.text("engine.error")


async def _strengths(db: Database, who: str = "alice") -> list[str]:
    async with db.read() as session:
        rows = await session.scalars(
            select(Strength.text)
            .join(User, User.id == Strength.user_id)
            .where(User.external_id == who)
            .order_by(Strength.id)
        )
        return list(rows.all())


async def _moods(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(MoodEntry)) or 0


def _no_error(replies: list[Reply]) -> None:
    assert replies, "no reply at all"
    assert all(r.text != ERROR for r in replies)


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</b> @everyone _*[",
        "'); DROP TABLE users;--",
        "Robert'); DROP TABLE strengths; -- @here <@123> ||spoiler|| `code` **bold**",
    ],
)
async def test_markup_and_injection_round_trip_verbatim(chat: Chat, db: Database, text: str):
    await chat.send(f"/strengths add {text}")
    assert await _strengths(db) == [text]
    await chat.send("/strengths")
    assert f"1. {text}" in chat.text
    await chat.send("/strengths add still works")
    assert await _strengths(db) == [text, "still works"]


async def test_a_five_thousand_character_list_arrives_whole(chat: Chat, db: Database):
    items = [
        f"{n:02d} " + ("patient and careful with hard problems " * 12)[:440] for n in range(12)
    ]
    for item in items:
        await chat.send(f"/strengths add {item}")
    await chat.send("/strengths")
    [listing] = [r for r in chat.last if r.personal]
    assert len(listing.text) > 5000
    for number, item in enumerate(items, 1):
        assert f"{number}. {item}" in listing.text


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "a",
        "a:",
        "a::",
        "a:short:1",
        "a:123456",
        "a:zzzzzz:yes",
        "c:",
        "c:no-slash",
        "c:/",
        "c:/nosuchcommand",
        "c:/strengths remove 1 " + "x" * 200,
        "x" * (PAYLOAD_MAX_BYTES * 10),
        "a:\x00\x00\x00\x00\x00\x00:\x00",
        "🙂" * 30,
    ],
)
async def test_forged_payloads_change_nothing(chat: Chat, db: Database, payload: str):
    await chat.send("/strengths add Kept")
    await chat.send("/strengths")
    replies = await chat.press_payload(payload)
    _no_error(replies)
    assert len(chat.text) < 300
    assert await _strengths(db) == ["Kept"]


async def test_another_persons_button_does_nothing(chat: Chat, new_chat, db: Database):
    await chat.send("/strengths")
    button = chat.button("How I work")
    await chat.send("/mood")
    score = chat.button("1")
    bob = new_chat("bob")
    await bob.send("/strengths")  # bob has a dialog open at the same step, another nonce
    for pressed in (button, score):
        await bob.press_button(pressed)
        assert bob.last[0].text == content.text("engine.stale_button_open")
    assert await _moods(db) == 0


async def test_a_stale_button_does_nothing(chat: Chat, db: Database):
    await chat.send("/mood")
    old = chat.button("2")
    await chat.send("/mood")
    await chat.press_button(old)
    assert chat.last[0].text == content.text("engine.stale_button_open")
    assert await _moods(db) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\n\n   \n", "engine.empty"),
        ("/frobnicate now", "engine.unknown_command"),
        ("/mood 7", "mood.usage"),
        ("/mood abc", "mood.usage"),
        ("/mood 33 note", "mood.usage"),
        ("/strengths remove 99", "strengths.remove_missing"),
        ("/strengths remove -1", "strengths.remove_usage"),
    ],
)
async def test_broken_input_gets_a_short_clear_answer(
    chat: Chat, db: Database, text: str, expected: str
):
    await chat.send("/strengths add One")
    replies = await chat.send(text)
    _no_error(replies)
    first_words = content.text(expected, command="frobnicate", number=99, count=1, words="-1")[:25]
    assert first_words in chat.text
    assert await _strengths(db) == ["One"] and await _moods(db) == 0


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "I got rejected " * 700,
        "🙂🙃🫠" * 100,
        "אני מחפש עבודה ונדחיתי שוב",
        "لقد رُفضت مرة أخرى",
        "\u202eevil\u202c \u200b\u200d\ufeff",
        "/" * 50,
        "/strengths add " + "y" * 9_000,
    ],
)
async def test_huge_and_odd_text_is_handled(
    chat: Chat, db: Database, text: str, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.WARNING):
        replies = await chat.send(text)
    _no_error(replies)
    assert sum(len(r.text) for r in replies) < 2000
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await _strengths(db) == []


async def test_a_forged_command_payload_is_checked_for_crisis_too(chat: Chat, db: Database):
    await chat.press_payload("c:/strengths add I want to kill myself")
    assert content.text("crisis.opening") in chat.text
    assert await _strengths(db) == []
