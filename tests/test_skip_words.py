"""A step that stores typed text never stores a bare skip, decline or "I don't know"
word: where the step offers Skip / No / Not now / No thanks / Save for later, the word
presses it; where it offers none, the step ends kindly (core/engine.py ``declined``)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from core import content
from storage.database import Database
from storage.models import Schedule, User
from storage.repositories.privacy import export
from tests.harness import Chat

# Every dialog step that stores typed text, reached by the lines before it.
TEXT_STEPS = {
    "skills add": ["/skills"],
    "skills from a sentence": ["I need to work on my SQL"],
    "strengths, how I work": ["/strengths", "1"],
    "strengths, who I am": ["what am I good at", "2"],
    "strengths, kind question": ["/strengths"],
    "strengths, add another": ["/strengths add Calm under pressure"],
    "strength confirmation": ["/strengths", "1", "not good at giving up"],
    "onboarding name": ["/start"],
    "onboarding zone": ["/start", "skip"],
    "onboarding affirmation time": ["/start", "skip", "skip", "skip"],
    "onboarding check-ins": ["/start", "skip", "skip", "skip", "skip"],
    "debrief company": ["/rejected"],
    "debrief role": ["/rejected Acme"],
    "recruiter name": ["/rejected Acme - Analyst", "1", "3", "1", "1"],
    "mood note": ["/mood 2"],
    "application": ["/applied"],
    "target company": ["/targets"],
    "feedback company": ["/feedback"],
}
WORDS = ["skip", "no", "nah", "nope", "not now", "later", "idk", "dunno"]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


async def _stored(db: Database, name: str = "alice") -> list[str]:
    async with db.read() as session:
        user = await session.scalar(select(User).where(User.external_id == name))
        assert user is not None
        data = await export(session, user.id)
    data.pop("conversation_states", None)  # the open question, not a record
    for rejection in data.get("rejections", []):
        rejection.pop("steps", None)  # each step's state: "skipped", "later"...
    return [s.casefold() for s in _strings(data)]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("step", list(TEXT_STEPS))
async def test_a_skip_word_is_never_stored(chat: Chat, db: Database, step: str, word: str):
    for line in TEXT_STEPS[step]:
        await chat.send(line)
    await chat.send(word)
    assert "Saved:" not in chat.text and "Added to your plan" not in chat.text
    assert "Shall I save that" not in chat.text and "didn't catch" not in chat.text
    assert word not in await _stored(db)


async def test_no_and_nope_press_no_thanks_in_the_set_up(chat: Chat, db: Database):
    for line in ["/start", "skip", "skip", "skip", "no"]:
        await chat.send(line)
    assert "check-in" in chat.text
    await chat.send("nope")
    assert chat.text.startswith("All set.")
    async with db.read() as session:
        schedules = (await session.scalars(select(Schedule))).all()
    assert schedules and not any(s.enabled for s in schedules)


async def test_skip_at_the_check_in_step_finishes_the_set_up(chat: Chat):
    for line in ["/start", "skip", "skip", "skip", "skip", "skip"]:
        await chat.send(line)
    assert chat.text.startswith("All set.")


async def test_a_skip_word_with_nothing_open_starts_nothing(chat: Chat, db: Database):
    await chat.send("skip")
    assert chat.text == content.text("engine.declined_nothing_open")
    await chat.send("/cancel")
    assert chat.text == content.text("engine.nothing_to_cancel")


async def test_idk_presses_not_sure_where_it_is_offered(chat: Chat):
    await chat.send("/strengths")
    await chat.send("1")
    await chat.send("not good at giving up")
    await chat.send("idk")  # Yes, save it / No, leave it: neither; the step ends
    assert chat.text == content.text("engine.declined")
    await chat.send("/strengths")
    assert "Your list is empty for now" in chat.text
