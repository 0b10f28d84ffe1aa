"""/mood: buttons, arguments, consent for notes, history, bad input."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import MoodEntry
from tests.harness import Chat


async def _entries(db) -> list[MoodEntry]:
    async with db.read() as session:
        return list((await session.scalars(select(MoodEntry).order_by(MoodEntry.id))).all())


async def test_buttons_then_skip_note(chat: Chat, db):
    await chat.send("/mood")
    assert [b.label for b in chat.buttons()] == ["1", "2", "3", "4", "5"]
    await chat.press("4")
    assert "4/5" in chat.text and "few words" in chat.text
    await chat.press("Skip")
    assert [(e.score, e.note) for e in await _entries(db)] == [(4, None)]


async def test_the_score_is_kept_even_if_the_note_question_is_left(chat: Chat, db):
    await chat.send("/mood")
    await chat.press("3")
    await chat.send("/strengths")  # walks away from the note question
    assert [(e.score, e.note) for e in await _entries(db)] == [(3, None)]


async def test_a_note_typed_after_the_score_is_added_to_it(chat: Chat, db):
    await chat.send("/start")
    for _ in range(2):
        await chat.press("Skip")
    await chat.press("Yes, keep notes")
    await chat.send("/mood")
    await chat.press("2")
    await chat.send("the panel felt cold")
    assert [(e.score, e.note) for e in await _entries(db)] == [(2, "the panel felt cold")]


async def test_note_is_kept_only_after_consent(chat: Chat, db):
    await chat.send("/mood 2 rough day")
    assert "keep that note" in chat.text
    assert [(e.score, e.note) for e in await _entries(db)] == [(2, None)]  # score only
    await chat.press("No, just the score")
    assert [(e.score, e.note) for e in await _entries(db)] == [(2, None)]
    await chat.send("/mood 3 better now")
    assert "keep that note" not in chat.text
    assert [(e.score, e.note) for e in await _entries(db)][-1] == (3, None)


async def test_note_with_consent_and_history(chat: Chat, db, clock):
    await chat.send("/mood 2 rough day")
    await chat.press("Yes, keep it")
    clock.advance(days=1)
    await chat.send("/mood 4")
    await chat.send("/mood")
    assert "rough day" in chat.text and "2/5" in chat.text and "4/5" in chat.text


async def test_out_of_range_and_words_change_nothing(chat: Chat, db):
    for bad in (
        "/mood 7",
        "/mood abc",
        "/mood 0",
        "/mood -1",
        "/mood 33",
        "/mood ²",
        "/mood " + "9" * 5000,
    ):
        await chat.send(bad)
        assert "1 to 5" in chat.text, bad
    assert await _entries(db) == []


async def test_low_mood_offers_strengths_once_a_day(chat: Chat, clock):
    await chat.send("/strengths add Stubborn in a good way")
    await chat.send("/mood 1")
    assert "Stubborn in a good way" in chat.text
    await chat.send("/mood 2")
    assert "Stubborn in a good way" not in chat.text
    clock.advance(days=1)
    await chat.send("/mood 1")
    assert "Stubborn in a good way" in chat.text
