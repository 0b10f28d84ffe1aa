"""The weekly summary the scheduler sends (core/summary.py)."""

from __future__ import annotations

from core.summary import weekly_summary
from storage.repositories import users
from tests.harness import Chat


async def _summary(db, clock, user="alice") -> str:
    async with db.read() as session:
        person = await users.find(session, "terminal", user)
        return await weekly_summary(session, person, clock.now)


async def test_a_busy_week(chat: Chat, db, clock):
    await chat.send("/strengths add I learn fast")
    await chat.send("/mood 2")
    clock.advance(days=7)
    await chat.send("/mood 4")
    await chat.send("/applied Acme - Analyst")
    await chat.press("3")
    await chat.send("/feedback Acme")
    await chat.press("Yes, remind me")
    await chat.send("/skills add SQL")
    await chat.press("No date")
    clock.advance(days=1)
    text = await _summary(db, clock)
    assert text.startswith("Your week")
    assert "Applications: 1 (your goal: 3)" in text
    assert "averaging 4.0/5, up from 2.0" in text
    assert "Steps taken: 2" in text
    assert 'strengths, in your words: "I learn fast"' in text
    assert "{" not in text and "None" not in text


async def test_a_quiet_week_has_no_guilt(chat: Chat, db, clock):
    await chat.send("/help")
    text = await _summary(db, clock)
    assert "none this week, and that's okay" in text
    assert "Mood" not in text
    assert "/strengths add" in text
