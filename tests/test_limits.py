"""Per-person limits and paging (core/limits.py, core/dialogs/paging.py): a huge list
never becomes a flood of messages or a keyboard longer than a platform allows, and a
full list says so and changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select

from core import limits
from core.messages import Reply
from storage.database import Database
from storage.models import Application, SkillItem, Strength, Target
from storage.repositories import users
from tests.harness import Chat

NOW = datetime(2026, 3, 1, tzinfo=UTC)


async def _seed(db: Database, model: type, count: int, **values: object) -> None:
    """``count`` rows of ``model`` for alice (the chat's person), numbered in their text."""
    async with db.write() as session:
        user, _, _ = await users.get_or_create(session, "terminal", "alice", NOW)
        rows = []
        for n in range(1, count + 1):
            row = {"user_id": user.id, "created_at": NOW, **values}
            for key, value in values.items():
                if isinstance(value, str) and "{n}" in value:
                    row[key] = value.format(n=n)
            rows.append(row)
        await session.execute(insert(model), rows)


async def _count(db: Database, model: type) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _assert_fits_every_platform(replies: list[Reply]) -> None:
    for reply in replies:
        assert len(reply.buttons) <= limits.MAX_BUTTONS
        assert len(reply.text) <= 4096  # one Telegram message (Discord splits at 2,000)


async def test_ten_thousand_strengths_are_shown_a_page_at_a_time(chat: Chat, db: Database):
    await _seed(db, Strength, 10_000, text="Strength number {n}", source="self")
    replies = await chat.send("/strengths")
    _assert_fits_every_platform(replies)
    assert len(replies) == 2  # the page and its footer, not 1,251 messages
    assert "1. Strength number 1\n" in chat.text and "20. Strength number 20" in chat.text
    assert "21. " not in chat.text and "Showing 1-20 of 10000." in chat.text
    more = await chat.press("More")
    _assert_fits_every_platform(more)
    assert "21. Strength number 21" in chat.text and "Showing 21-40 of 10000." in chat.text


async def test_remove_offers_a_page_of_buttons_with_more(chat: Chat, db: Database):
    await _seed(db, Strength, 10_000, text="Strength number {n}", source="self")
    replies = await chat.send("/strengths remove")
    _assert_fits_every_platform(replies)
    labels = [b.label for b in chat.buttons()]
    assert labels[0] == "1. Strength number 1" and len(labels) == limits.PAGE_BUTTONS + 1
    assert labels[-1].startswith("More")
    await chat.press("More")
    assert chat.buttons()[0].label == "11. Strength number 11"
    await chat.press("12. Strength number 12")
    assert 'Removed: "Strength number 12"' in chat.text
    assert await _count(db, Strength) == 9_999


async def test_a_full_strengths_list_says_so_and_keeps_everything(chat: Chat, db: Database):
    await _seed(db, Strength, limits.STRENGTHS, text="Strength number {n}", source="self")
    await chat.send("/strengths add One more thing")
    assert f"already holds {limits.STRENGTHS} strengths" in chat.text
    assert await _count(db, Strength) == limits.STRENGTHS
    await chat.send("/strengths remove 1")
    await chat.send("/strengths add One more thing")
    assert "Saved" in chat.text and await _count(db, Strength) == limits.STRENGTHS


async def test_remove_by_words(chat: Chat, db: Database):
    for text in ("Calm under pressure", "Patient teacher", "Patient listener"):
        await chat.send(f"/strengths add {text}")
    await chat.send("/strengths remove calm UNDER pressure")
    assert "Remove Calm under pressure?" in chat.text
    await chat.send("yes")
    assert "Calm under pressure" in chat.text and "Removed" in chat.text
    await chat.send("/strengths remove listener")
    await chat.send("yes")
    await chat.send("/strengths")
    assert "1. Patient teacher" in chat.text and "listener" not in chat.text


async def test_full_skills_targets_and_applications_say_the_number(chat: Chat, db: Database):
    await _seed(db, SkillItem, limits.SKILLS, text="Skill {n}")
    await _seed(db, Target, limits.TARGETS, company="Company {n}", checklist={})
    await _seed(
        db,
        Application,
        limits.APPLICATIONS,
        applied_on=date(2026, 2, 1),
        status="applied",
        status_changed_at=NOW,
    )

    await chat.send("/skills add SQL window functions")
    assert f"already holds {limits.SKILLS} items" in chat.text
    await chat.send("/targets add Globex")
    assert f"already holds {limits.TARGETS} companies" in chat.text
    await chat.send("/applied Acme - Analyst")
    assert f"already holds {limits.APPLICATIONS} applications" in chat.text
    assert await _count(db, SkillItem) == limits.SKILLS
    assert await _count(db, Target) == limits.TARGETS
    assert await _count(db, Application) == limits.APPLICATIONS


async def test_long_skills_and_targets_lists_are_paged(chat: Chat, db: Database):
    await _seed(db, SkillItem, limits.SKILLS, text="Skill {n}")
    await _seed(db, Target, limits.TARGETS, company="Company {n}", checklist={})
    replies = await chat.send("/skills")
    _assert_fits_every_platform(replies)
    assert "20. Skill 20" in chat.text and "21. " not in chat.text
    await chat.press("More")
    assert "21. Skill 21" in chat.text and f"Showing 21-40 of {limits.SKILLS}." in chat.text

    replies = await chat.send("/targets")
    _assert_fits_every_platform(replies)
    assert "Company 20" in chat.text and "Company 21" not in chat.text
    more = await chat.press("More")
    _assert_fits_every_platform(more)
    assert "Company 21" in chat.text and "Company 20\n" not in chat.text
    await chat.press("Company 21")  # the page's own buttons open that page's companies
    assert "Company 21" in chat.text
