"""/skills: the skills plan, target dates, done, and the focus after repeated rejections."""

from __future__ import annotations

from datetime import date

from core.dialogs.skills import parse_target_date
from tests.harness import Chat

TODAY = date(2026, 3, 2)


def test_target_dates_people_type():
    assert parse_target_date("2026-04-30", TODAY) == date(2026, 4, 30)
    assert parse_target_date("30 Apr", TODAY) == date(2026, 4, 30)
    assert parse_target_date("1 February", TODAY) == date(2027, 2, 1)  # next such day
    assert parse_target_date("30/04/2026", TODAY) == date(2026, 4, 30)
    assert parse_target_date("2025-01-01", TODAY) is None  # in the past
    assert parse_target_date("soon", TODAY) is None


async def test_add_with_a_date_then_mark_done(chat: Chat):
    await chat.send("/skills add SQL window functions")
    assert 'Added to your plan: "SQL window functions"' in chat.text
    await chat.press("In 2 weeks")
    assert "Mon 16 Mar 2026" in chat.text
    await chat.send("/skills add Talking through design choices")
    await chat.send("30 Apr")
    assert "Thu 30 Apr 2026" in chat.text
    await chat.send("/skills done 1")
    assert 'Marked done: "SQL window functions"' in chat.text
    assert "1. ✓ SQL window functions" in chat.text
    assert "2. Talking through design choices (by Thu 30 Apr 2026)" in chat.text


async def test_a_date_that_is_not_a_date_is_asked_again(chat: Chat):
    await chat.send("/skills add Public speaking")
    await chat.send("someday")
    assert "type a date" in chat.text
    await chat.press("No date")
    await chat.send("/skills")
    assert "1. Public speaking" in chat.text and "(by" not in chat.text


async def test_done_with_a_wrong_number_changes_nothing(chat: Chat):
    await chat.send("/skills add Excel")
    await chat.press("No date")
    await chat.send("/skills done 7")
    assert "no number 7" in chat.text
    await chat.send("/skills done one")
    assert "which number" in chat.text
    await chat.send("/skills done 1")
    await chat.send("/skills done 1")
    assert "already marked done" in chat.text


async def test_empty_plan_then_guided_add(chat: Chat):
    await chat.send("/skills")
    assert "empty" in chat.text
    await chat.send("Python testing")
    assert "Added to your plan" in chat.text


async def test_three_rejections_at_the_same_stage_suggest_an_area(chat: Chat):
    for company in ("Acme", "Globex", "Initech"):
        await chat.send(f"/rejected {company} - Analyst")
        await chat.press("Screening call")
        await chat.press("Skip")
        await chat.press("That's enough")
    await chat.send("/skills")
    assert "3 of your rejections came at the screening call stage" in chat.text
    assert "tell me about yourself" in chat.text


async def test_two_rejections_at_a_stage_suggest_nothing_yet(chat: Chat):
    for company in ("Acme", "Globex"):
        await chat.send(f"/rejected {company} - Analyst")
        await chat.press("Technical")
        await chat.press("Skip")
        await chat.press("That's enough")
    await chat.send("/skills")
    assert "pattern" not in chat.text


async def test_a_past_date_is_explained_as_past(chat: Chat):
    await chat.send("/skills add Public speaking")
    await chat.send("2025-12-31")
    assert "Wed 31 Dec 2025 has already passed" in chat.text
    await chat.send("2026-12-31")
    assert "Target: Thu 31 Dec 2026" in chat.text


async def test_done_without_a_number_offers_the_open_items(chat: Chat):
    await chat.send("/skills add Excel")
    await chat.press("No date")
    await chat.send("/skills add SQL")
    await chat.press("No date")
    await chat.send("/skills done 1")
    await chat.send("/skills done")
    assert "Which one have you done?" in chat.text
    labels = [b.label for b in chat.buttons()]
    assert labels == ["2. SQL"]
    await chat.press("SQL")
    assert 'Marked done: "SQL"' in chat.text
    await chat.send("/skills done")
    assert "already marked done" in chat.text


async def test_superscript_and_huge_numbers_are_not_item_numbers(chat: Chat):
    await chat.send("/skills add Excel")
    await chat.press("No date")
    for argument in ("①", "²", "9" * 5000):
        await chat.send(f"/skills done {argument}")
        assert "which number" in chat.text
        assert "went wrong" not in chat.text.lower()
