"""The safety check: normalising, hyperbole, the two tiers, and how the engine answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from core import content
from core.safety import Tier, is_crisis, normalise, tier
from storage.database import Database
from storage.models import Base, CrisisEvent, MoodEntry, Strength, User
from tests.harness import Chat

OPENING = content.text("crisis.opening")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("I’M GONNA KMS", "i am going to kill myself"),
        ("cant   wanna\tdont", "can not want to do not"),
        ("I'd, they're; it's!", "i would they are it is"),
        ("k1ll mys3lf", "kill myself"),
        ("Ｋｉｌｌ", "kill"),
        ("su\u200bicide", "suicide"),
        ("naïve café", "naive cafe"),
        ("$100k by 3pm", "100k by 3pm"),
    ],
)
def test_normalise(typed: str, expected: str):
    assert normalise(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "I want to diiiiie",
        "I want to d i e",
        "i want to commit s.u.i.c.i.d.e",
        "kiiiiill myself",
        "wanna kms fr",
        "I want to k!ll myself",
        "this rejection is killing me and I want to kill myself",
        "career suicide, and honestly I want to die",
    ],
)
def test_explicit_statements_are_caught_however_typed(typed: str):
    assert tier(typed) is Tier.CRISIS


@pytest.mark.parametrize("typed", ["", "   ", "\n\n", "🙂", "/mood 3", "a" * 10_000])
def test_nothing_risky_is_not_a_crisis(typed: str):
    assert not is_crisis(typed)


def test_hyperbole_mask_does_not_hide_a_statement_elsewhere():
    assert not is_crisis("I cut myself some slack")
    assert is_crisis("I cut myself some slack, then I cut myself again")


# -- the engine's answer ---------------------------------------------------------------


async def _user(db: Database, name: str = "alice") -> User:
    async with db.read() as session:
        user = await session.scalar(select(User).where(User.external_id == name))
        assert user is not None
        return user


async def _events(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(CrisisEvent)) or 0


async def test_a_hit_replaces_the_reply_and_records_only_the_time(chat: Chat, db: Database):
    phrase = "honestly I want to kill myself after this"
    replies = await chat.send(phrase)
    assert len(replies) == 1
    assert OPENING in chat.text
    assert "not an emergency service" in chat.text
    assert "findahelpline.com" in chat.text
    assert await _events(db) == 1
    assert (await _user(db)).crisis_at is not None
    async with db.read() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                assert "kill myself" not in repr(tuple(row)).lower(), table.name


async def test_every_hit_counts_and_moves_crisis_at(chat: Chat, db: Database, clock):
    await chat.send("I want to die")
    first = (await _user(db)).crisis_at
    await chat.send("no, I'm fine")
    assert OPENING not in chat.text
    clock.advance(hours=5)
    await chat.send("i cant do this anymore, i want to end my life")
    assert OPENING in chat.text
    second = (await _user(db)).crisis_at
    assert first is not None and second == first + timedelta(hours=5)
    assert await _events(db) == 2


async def test_the_reply_uses_the_country_of_the_time_zone(chat: Chat, db: Database):
    await chat.send("hello")
    async with db.write() as session:
        await session.execute(update(User).values(timezone="Europe/London"))
    await chat.send("kms")
    assert "999" in chat.text and "Samaritans" in chat.text
    async with db.write() as session:
        await session.execute(update(User).values(timezone="UTC", country="AU"))
    await chat.send("/sos")
    assert "000" in chat.text


async def test_unknown_country_falls_back_to_the_directory(chat: Chat):
    await chat.send("I want to end my life")
    assert content.text("crisis.emergency_unknown") in chat.text
    assert "findahelpline.com" in chat.text


async def test_sos_works_with_no_state_at_all(chat: Chat, db: Database):
    await chat.send("/sos")
    assert "findahelpline.com" in chat.text
    assert await _events(db) == 0


async def test_sos_in_the_middle_of_a_dialog(chat: Chat):
    await chat.send("/strengths add")
    await chat.send("/sos")
    assert "findahelpline.com" in chat.text


async def test_a_strength_that_is_a_crisis_is_not_saved(chat: Chat, db: Database):
    await chat.send("/strengths add I should just die")
    assert OPENING in chat.text
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 0


async def test_a_dialog_answer_is_checked_and_the_dialog_is_set_aside(chat: Chat, db: Database):
    await chat.send("/strengths")
    await chat.press("How I work")
    await chat.send("hurting myself, that's what I'm good at")
    assert OPENING in chat.text
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 0
    await chat.send("Calm under pressure")  # not taken as the answer to the old question
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 0


async def test_a_mood_note_is_checked(chat: Chat, db: Database):
    await chat.send("/mood 1 I'm going to take all my pills tonight")
    assert OPENING in chat.text
    await chat.send("/mood")
    await chat.press("1")
    await chat.send("everyone would be better off without me")
    assert content.text("safety.question") in chat.text
    await chat.press("Not sure")
    assert OPENING in chat.text
    async with db.read() as session:
        notes = (await session.scalars(select(MoodEntry.note))).all()
    assert all(note is None or "better off" not in note for note in notes)
    assert await _events(db) == 3  # crisis, the question, then crisis after "Not sure"


async def test_everyday_hyperbole_gets_the_normal_reply(chat: Chat, db: Database):
    for said in ["this rejection is killing me", "I killed it in the interview", "dead tired"]:
        await chat.send(said)
        assert OPENING not in chat.text
    assert await _events(db) == 0


async def test_a_hit_in_a_group_still_answers(new_chat, db: Database):
    group = new_chat("carol", private=False)
    await group.send("I want to die")
    assert OPENING in group.text


async def test_sos_for_another_country(chat: Chat):
    await chat.send("/sos ie")
    assert "Ireland" in chat.text and "116 123" in chat.text
    await chat.send("/sos nowhere")
    assert content.text("crisis.emergency_unknown_sos") in chat.text


async def test_a_typed_sos_does_not_thank_for_what_was_not_told(chat: Chat):
    await chat.send("/sos")
    assert "glad you told me" not in chat.text
    assert content.text("crisis.opening_sos") in chat.text
    assert "not an emergency service" in chat.text
    await chat.send("/sos gb")
    assert "glad you told me" not in chat.text and "Samaritans" in chat.text
    await chat.send("I want to die")
    assert "glad you told me" in chat.text


async def test_the_international_line_is_short(chat: Chat):
    await chat.send("/sos")
    line = next(x for x in chat.text.split("\n") if "findahelpline.com" in x)
    assert "directory" not in line and line.lower().count("free") == 1
    assert len(line) <= 100


async def test_a_typed_sos_speaks_of_no_thoughts_it_was_not_told(chat: Chat):
    await chat.send("/sos")
    assert "these thoughts" not in chat.text
    assert content.text("crisis.emergency_unknown_sos") in chat.text
    await chat.send("/sos gb")
    assert "these thoughts" not in chat.text and "999" in chat.text
    await chat.send("I want to die")
    assert content.text("crisis.emergency_unknown") in chat.text


async def test_a_hello_soon_after_a_crisis_reply_asks_how_they_are(chat: Chat, clock):
    await chat.send("/rejected")
    await chat.send("i have the pills ready")
    assert OPENING in chat.text
    await chat.send("hi")
    assert chat.text == content.text("engine.greeting_after_crisis")
    assert [b.label for b in chat.buttons()] == [
        content.text("menu.mood"),
        content.text("engine.sos_button"),
    ]
    clock.advance(days=4)
    await chat.send("hi")
    assert content.text("engine.greeting_after_crisis") not in chat.text


@pytest.mark.parametrize("typed", ["/kms", "/killmyself", "/suicide tonight"])
async def test_a_slash_before_risky_words_is_still_read(chat: Chat, db: Database, typed: str):
    """A known command with nothing after it ("/mood", "/mood 3") has nothing for the
    safety check to read and skips it; anything else that starts with a slash is read."""
    await chat.send(typed)
    assert OPENING in chat.text
    assert await _events(db) == 1


async def test_a_bare_command_is_answered_as_a_command(chat: Chat, db: Database):
    for typed in ["/mood 2", "/strengths", "/mood"]:
        await chat.send(typed)
        assert OPENING not in chat.text
    assert await _events(db) == 0
