"""The Ask tier in the engine (issue 11): one warm, direct question with Yes / No / Not
sure; Yes or Not sure gives the crisis reply; No gets thanks, a pointer to /sos, and the
message handled as it would have been, in the dialog that was open. Asked at most once a
local day unless a crisis-tier message came; only the time and the tier are stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import content
from storage.database import Database
from storage.models import Base, ConversationState, CrisisEvent
from tests.harness import Chat

QUESTION = content.text("safety.question")
OPENING = content.text("crisis.opening")
AFTER_NO = content.text("safety.after_no")
HOPELESS = "I don't see the point anymore"


async def _tiers(db: Database) -> list[str]:
    async with db.read() as session:
        return list(
            (await session.scalars(select(CrisisEvent.tier).order_by(CrisisEvent.id))).all()
        )


async def _state(db: Database) -> ConversationState | None:
    async with db.read() as session:
        return await session.scalar(select(ConversationState))


async def _stored_anywhere(db: Database, words: str) -> list[str]:
    found = []
    async with db.read() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                if words.lower() in repr(tuple(row)).lower():
                    found.append(table.name)
    return found


async def test_the_question_is_asked_directly_with_three_buttons(chat: Chat, db: Database):
    await chat.send(HOPELESS)
    assert QUESTION in chat.text
    assert "suicide" in QUESTION and "hurting yourself" in QUESTION
    assert [b.label for b in chat.buttons()] == ["Yes", "No", "Not sure"]
    assert OPENING not in chat.text
    assert await _tiers(db) == ["ask"]


@pytest.mark.parametrize("answer", ["Yes", "Not sure"])
async def test_yes_or_not_sure_gives_the_crisis_reply(chat: Chat, db: Database, answer: str):
    await chat.send(HOPELESS)
    await chat.press(answer)
    assert OPENING in chat.text
    assert "findahelpline.com" in chat.text
    assert await _tiers(db) == ["ask", "crisis"]


async def test_typed_yes_counts_as_the_button(chat: Chat):
    await chat.send("honestly wish I could just not wake up")
    await chat.send("yeah")
    assert OPENING in chat.text


async def test_no_thanks_points_to_sos_and_answers_the_message(chat: Chat, db: Database):
    await chat.send(HOPELESS)
    await chat.press("No")
    assert chat.last[0].text == AFTER_NO
    assert "/sos" in AFTER_NO
    assert len(chat.last) > 1, "the message itself was not answered"
    assert OPENING not in chat.text
    assert await _stored_anywhere(db, "see the point") == []


async def test_no_keeps_the_open_dialog_and_asks_its_question_again(chat: Chat, db: Database):
    await chat.send("/rejected")
    await chat.send("Acme")
    role_question = chat.last[-1].text
    await chat.send("I don't see the point anymore")  # typed where the role was asked
    assert QUESTION in chat.text
    await chat.press("No")
    assert AFTER_NO in chat.text
    assert chat.last[-1].text == role_question
    state = await _state(db)
    assert state is not None and state.dialog == "debrief"
    assert await _stored_anywhere(db, "see the point") == []
    await chat.send("Data Analyst")
    assert "role" not in chat.last[-1].text.lower() or "stage" in chat.text.lower()


async def test_an_answer_in_words_counts(chat: Chat):
    await chat.send(HOPELESS)
    await chat.send("no, I'm fine, just the job hunt")
    assert AFTER_NO in chat.text


async def test_a_question_back_gets_one_explanation_and_the_question_again(chat: Chat):
    await chat.send(HOPELESS)
    await chat.send("why do you ask?")
    assert content.text("safety.why") in chat.text
    assert QUESTION in chat.text
    assert [b.label for b in chat.buttons()] == ["Yes", "No", "Not sure"]
    await chat.press("No")
    assert AFTER_NO in chat.text


async def test_asked_at_most_once_a_local_day(chat: Chat, db: Database, clock):
    await chat.send(HOPELESS)
    await chat.press("No")
    await chat.send("it's never going to get better")
    assert QUESTION not in chat.text
    assert await _tiers(db) == ["ask"]
    clock.advance(days=1)
    await chat.send("it's never going to get better")
    assert QUESTION in chat.text
    assert await _tiers(db) == ["ask", "ask"]


async def test_a_crisis_message_allows_the_question_again(chat: Chat, db: Database):
    await chat.send(HOPELESS)
    await chat.press("No")
    await chat.send("i have the pills ready")
    assert OPENING in chat.text
    await chat.send("I don't see the point of anything anymore")
    assert QUESTION in chat.text
    assert await _tiers(db) == ["ask", "crisis", "ask"]


async def test_every_later_message_is_still_checked(chat: Chat):
    await chat.send(HOPELESS)
    await chat.send("i want to kill myself")
    assert OPENING in chat.text


async def test_something_else_typed_drops_the_question(chat: Chat, db: Database):
    await chat.send(HOPELESS)
    await chat.send("/help")
    assert QUESTION not in chat.text
    state = await _state(db)
    assert state is None or state.dialog != "safety_question"
    assert await _stored_anywhere(db, "see the point") == []
