"""The weekly summary is switched on from /settings and arrives on Sunday evening; a
check-in answer is kept and /progress shows it."""

from __future__ import annotations

from datetime import UTC, datetime

from core.delivery import Dispatcher
from core.outbox import DeliverySettings
from tests.harness import Chat
from tests.test_dispatch import RecordingOutlet


async def test_summary_is_off_until_switched_on_then_comes_on_sunday(chat: Chat, db, clock):
    outlet = RecordingOutlet()
    dispatcher = Dispatcher(db, [outlet], clock=clock, settings=DeliverySettings())
    await chat.send("/timezone Berlin")
    await chat.send("/strengths add Finishes what she starts")
    await chat.send("/settings")
    assert "Weekly summary: off" in chat.text
    await chat.press("Weekly summary on")
    assert "Sun at 18:00" in chat.text
    await chat.send("/settings")
    assert "Weekly summary: Sun at 18:00" in chat.text

    # Sunday 2026-03-08 18:00 in Berlin is 17:00 UTC.
    clock.now = datetime(2026, 3, 8, 17, 0, 30, tzinfo=UTC)
    await dispatcher.run_pass(clock.now)
    assert outlet.kinds() == ["summary"]
    assert "Finishes what she starts" in outlet.sent[0][3]

    await chat.send("/summary off")
    clock.now = datetime(2026, 3, 15, 17, 0, 30, tzinfo=UTC)
    await dispatcher.run_pass(clock.now)
    assert outlet.kinds() == ["summary"]


async def test_summary_command_refuses_other_words(chat: Chat):
    await chat.send("/summary maybe")
    assert "/summary on" in chat.text


async def test_checkin_answer_is_kept_and_shown_in_progress(chat: Chat):
    await chat.send("/checkin applied 1-2")
    await chat.send("/progress")
    assert "you said you'd applied: 1-2" in chat.text
    await chat.send("/checkin applied 3+")
    await chat.send("/progress")
    assert "you said you'd applied: 3+" in chat.text


async def test_unknown_checkin_answer_is_not_kept(chat: Chat):
    await chat.send("/checkin applied lots")
    await chat.send("/progress")
    assert "you said" not in chat.text
