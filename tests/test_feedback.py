"""/feedback: templates, drafting, reminders and what the check-in asks about."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.dialogs.feedback import fill_template
from storage.database import Database
from storage.models import FeedbackRequest
from storage.repositories import feedback, users
from tests.harness import Chat

FIELDS = {"company": "Acme", "role": "Data Analyst", "interviewer": "Sam Lee"}
PRESENCE = list(itertools.product([True, False], repeat=3))


@pytest.mark.parametrize("kind", ["request", "follow_up"])
@pytest.mark.parametrize("present", PRESENCE, ids=lambda p: "".join("x" if v else "-" for v in p))
def test_every_template_fills_with_and_without_optional_fields(kind, present):
    values = {
        k: (v if keep else None) for (k, v), keep in zip(FIELDS.items(), present, strict=True)
    }
    text = fill_template(kind, **values)
    assert "{" not in text and "}" not in text
    assert "None" not in text
    assert "  " not in text and " ," not in text and " ." not in text
    for name, value in values.items():
        if value and name != "interviewer":
            assert value in text, name
    if values["interviewer"]:
        assert text.startswith("Hi Sam,")  # first name only
        assert "Sam Lee" not in text
    if values["interviewer"] is None:
        assert text.startswith(("Hello,", "Hello again,"))
    if not values["company"] and not values["role"]:
        assert "the role" in text
    assert len(text) < 1200  # short enough to paste into a message


async def _requests(db: Database) -> list[FeedbackRequest]:
    async with db.read() as session:
        return list((await session.scalars(select(FeedbackRequest))).all())


async def test_feedback_with_a_company_drafts_at_once_using_the_rejection(chat: Chat, db):
    await chat.send("/rejected Acme - Data Analyst")
    await chat.press("Final round")
    await chat.press("4")
    await chat.press("That's enough")
    await chat.send("/feedback acme")
    assert "the Data Analyst role at Acme" in chat.text
    assert "Hello," in chat.text
    await chat.press("No thanks")
    [request] = await _requests(db)
    assert (request.company, request.role, request.status, request.remind) == (
        "Acme",
        "Data Analyst",
        "drafted",
        False,
    )


async def test_feedback_for_an_unknown_company(chat: Chat):
    await chat.send("/feedback")
    assert "Which company" in chat.text
    await chat.send("Globex")
    assert "the role at Globex" in chat.text
    assert "future roles at Globex" in chat.text


async def _take(db: Database, now, user_id: int) -> dict[int, str]:
    async with db.write() as session:
        return await feedback.take_reminders(
            session, [user_id], asked_before=now - timedelta(days=7), since=now - timedelta(days=30)
        )


async def test_reminder_after_seven_days_comes_once_then_a_vague_answer(chat: Chat, db, clock):
    await chat.send("/feedback Initech")
    await chat.press("Yes, remind me")
    async with db.read() as session:
        user = await users.find(session, "terminal", "alice")
    assert await _take(db, clock.now, user.id) == {}  # not a week yet
    later = clock.now + timedelta(days=7, minutes=1)
    assert await _take(db, later, user.id) == {user.id: "Initech"}
    assert await _take(db, later + timedelta(days=1), user.id) == {}  # mentioned once
    [request] = await _requests(db)
    assert request.status == "reminded"

    clock.advance(days=8)
    await chat.send("/feedback")
    await chat.press("Heard back from Initech")  # still waiting after the reminder
    await chat.press("Something vague")
    assert "more specific question" in chat.text
    [request] = await _requests(db)
    assert request.status == "vague" and request.answered_at == clock.now
    assert await _take(db, clock.now + timedelta(days=1), user.id) == {}


async def test_reminders_skip_drafts_and_pick_the_newest_per_person(chat: Chat, db, clock):
    await chat.send("/feedback Acme")
    await chat.press("No thanks")  # a draft: no reminder
    await chat.send("/feedback Globex")
    await chat.press("Yes, remind me")
    clock.advance(hours=1)
    await chat.send("/feedback")
    await chat.press("Another company")
    await chat.send("Initech")
    await chat.press("Yes, remind me")
    async with db.read() as session:
        user = await users.find(session, "terminal", "alice")
    later = clock.now + timedelta(days=8)
    assert await _take(db, later, user.id) == {user.id: "Initech"}
    assert await _take(db, later, user.id) == {user.id: "Globex"}
    assert await _take(db, later, user.id) == {}


async def test_reminder_with_checkins_off_says_so_and_offers_them(chat: Chat):
    await chat.send("/feedback Initech")
    await chat.press("Yes, remind me")
    assert "check-ins are off" in chat.text
    assert chat.button("Turn check-ins on").payload == "c:/checkins"


async def test_a_typed_yes_answers_the_reminder_question(chat: Chat, db):
    await chat.send("/feedback Initech")
    await chat.send("yes please")
    [request] = await _requests(db)
    assert (request.remind, request.status) == (True, "sent")


def test_greeting_uses_the_first_name_or_title_and_surname():
    from core.dialogs.feedback import greeting_name

    assert greeting_name("Maria Lopez") == "Maria"
    assert greeting_name("Maria") == "Maria"
    assert greeting_name("Dr. Maria Lopez") == "Dr. Lopez"


async def test_no_reply_yet_keeps_the_request_waiting(chat: Chat, db):
    await chat.send("/feedback Initech")
    await chat.press("Yes, remind me")
    await chat.send("/feedback")
    await chat.press("Heard back from Initech")
    await chat.press("Nothing yet")
    assert "says little about you" in chat.text
    [request] = await _requests(db)
    assert request.status == "sent"


async def test_free_text_about_feedback_starts_the_dialog(chat: Chat):
    await chat.send("how do I ask for feedback?")
    assert "Which company would you like to ask" in chat.text


async def test_reminder_with_checkins_on_promises_the_check_in(chat: Chat):
    await chat.send("/checkins daily 18:00")
    await chat.send("/feedback Initech")
    await chat.press("Yes, remind me")
    assert "I'll ask about it in a check-in" in chat.text
    assert not any(b.label == "Turn check-ins on" for b in chat.last[0].buttons)
