"""/applied: logging applications, the weekly goal, the streak and a kind welcome back."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Application
from tests.harness import Chat


async def test_log_then_set_a_goal(chat: Chat, db):
    await chat.send("/applied Acme - Data Analyst")
    assert "Logged: Acme, Data Analyst." in chat.text
    assert "That's 1 this week." in chat.text
    await chat.press("3")
    assert "Weekly goal set: 3" in chat.text
    await chat.send("/applied Globex")
    assert "That's 2 this week, against your goal of 3." in chat.text
    await chat.send("/applied Initech - Analyst")
    assert "your goal of 3 is reached" in chat.text
    async with db.read() as session:
        rows = (await session.scalars(select(Application))).all()
    assert [(a.company, a.role, str(a.applied_on), a.status) for a in rows] == [
        ("Acme", "Data Analyst", "2026-03-02", "applied"),
        ("Globex", None, "2026-03-02", "applied"),
        ("Initech", "Analyst", "2026-03-02", "applied"),
    ]


async def test_no_goal_is_asked_only_once(chat: Chat):
    await chat.send("/applied Acme")
    await chat.press("No goal")
    assert "No weekly goal" in chat.text
    await chat.send("/applied Globex")
    assert "weekly goal?" not in chat.text


async def test_guided_log(chat: Chat):
    await chat.send("/applied")
    assert "Company - Role" in chat.text
    await chat.send("Umbrella - Researcher")
    assert "Logged: Umbrella, Researcher." in chat.text


async def test_streak_counts_weeks_and_a_gap_is_welcomed_back(chat: Chat, clock):
    await chat.send("/applied Acme")
    await chat.press("No goal")
    clock.advance(days=7)
    await chat.send("/applied Globex")
    assert "2 weeks in a row" in chat.text
    clock.advance(days=7)
    await chat.send("/applied Initech")
    assert "3 weeks in a row" in chat.text
    clock.advance(days=21)
    await chat.send("/applied Umbrella")
    assert "Good to see you back" in chat.text
    assert "in a row" not in chat.text
    assert "streak" not in chat.text.lower() and "missed" not in chat.text.lower()


async def test_free_text_about_applying(chat: Chat):
    await chat.send("I just applied for a job")
    assert "Which one?" in chat.text


async def test_free_text_about_progress_shows_progress(chat: Chat):
    await chat.send("/applied Acme")
    await chat.press("No goal")
    await chat.send("how is my job search progress?")
    assert "Your search so far:" in chat.text
