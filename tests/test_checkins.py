"""A check-in's buttons, answered outside any dialog (core/checkins.py, /checkin)."""

from __future__ import annotations

from datetime import date, timedelta

from core import checkins
from core.outbox import Parcel
from tests.harness import Chat


def _checkin_parcel() -> Parcel:
    opening = checkins.opening_for(1, date(2026, 3, 2))
    return Parcel(
        1, 1, "terminal", "alice", "checkin", date(2026, 3, 2), checkins.message(opening, None), 1
    )


def test_every_button_fits_and_every_answer_has_a_reply():
    for name in checkins.QUESTIONS:
        assert checkins.buttons(name)
        assert checkins.question(name)
    for value in checkins.values("heard_back"):
        assert checkins.reply_text(f"heard_{value}")


def test_openings_rotate():
    seen = {checkins.opening_for(7, date(2026, 3, 2 + 3 * n)).id for n in range(5)}
    assert len(seen) == 5


def test_consecutive_days_get_different_openings():
    for user_id in range(5):
        days = [checkins.opening_for(user_id, date(2026, 3, 2 + n)).id for n in range(7)]
        assert len(set(days)) == 7


def test_the_opening_after_the_previous_one_goes_round_them_all():
    every = checkins.openings()
    shown, previous = [], None
    for n in range(len(every)):
        opening = checkins.opening_for(3, date(2026, 3, 2) + timedelta(weeks=n), previous)
        shown.append(opening.id)
        previous = opening.id
    assert sorted(shown) == sorted(o.id for o in every)


async def test_checkin_typed_without_arguments_explains(chat: Chat):
    await chat.send("/checkin")
    assert "from a while back" not in chat.text
    assert "/checkins" in chat.text


def test_the_message_mentions_waiting_feedback_only_when_there_is_some():
    opening = checkins.openings()[0]
    assert "feedback" not in checkins.message(opening, None)
    assert "Acme" in checkins.message(opening, "Acme")
    assert "a company" in checkins.message(opening, "")


async def test_answering_a_scheduled_checkin_button_by_button(chat: Chat):
    [message] = _checkin_parcel().replies()
    chat.history.append(message)
    await chat.press("1-2")
    assert "real movement" in chat.text and "Heard back" in chat.text
    assert any(b.payload == "c:/applied" for b in chat.last[0].buttons)
    await chat.press("A no")
    assert "/rejected" in chat.text
    assert any(b.payload == "c:/rejected" for b in chat.last[0].buttons)
    await chat.press("Not today")
    assert "whenever" in chat.text


async def test_a_checkin_button_works_after_other_talk(chat: Chat):
    [message] = _checkin_parcel().replies()
    await chat.send("/mood 3")
    await chat.press_button(message.buttons[0])
    assert "quiet stretches" in chat.text


async def test_nudge_yes_opens_targets(chat: Chat):
    await chat.send("/checkin nudge yes")
    assert chat.last and "while back" not in chat.text


async def test_a_made_up_answer_is_refused_kindly(chat: Chat):
    await chat.send("/checkin applied 40")
    assert "/progress" in chat.text
