"""The weekly summary and /progress list exactly the steps taken that week (issue 13)."""

from __future__ import annotations

from core.summary import weekly_summary
from storage.repositories import users
from tests.harness import Chat


async def _summary(db, clock) -> str:
    async with db.read() as session:
        person = await users.find(session, "terminal", "alice")
        return await weekly_summary(session, person, clock.now)


async def test_a_week_is_read_back_with_exactly_its_steps(chat: Chat, db, clock):
    await chat.send("/targets add Initech")  # last week: not this week's step
    clock.advance(days=8)
    await chat.send("/feedback Acme")
    await chat.press("No thanks")
    await chat.send("/skills add SQL window functions")
    await chat.press("No date")
    clock.advance(days=1)

    text = await _summary(db, clock)
    assert "Steps taken: 2 (1 feedback request, 1 skill added to your plan)" in text
    assert "target" not in text.lower()
    assert "reflection" not in text

    await chat.send("/progress")
    assert "Steps in the last 7 days: 1 feedback request, 1 skill added to your plan" in chat.text


async def test_a_week_without_steps_says_so_without_guilt(chat: Chat, db, clock):
    await chat.send("/targets add Initech")
    clock.advance(days=8)
    text = await _summary(db, clock)
    assert "Steps taken: none logged." in text
