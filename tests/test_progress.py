"""Job-search numbers (core/progress.py) and the /progress message."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core import progress
from tests.harness import Chat

MONDAY = date(2026, 3, 2)


def test_streak_counts_whole_weeks_with_an_application():
    assert progress.weekly_streak([], MONDAY) == 0
    assert progress.weekly_streak([MONDAY], MONDAY) == 1
    last_week = MONDAY - timedelta(days=3)
    two_weeks_ago = MONDAY - timedelta(days=10)
    assert progress.weekly_streak([two_weeks_ago, last_week, MONDAY], MONDAY) == 3
    # this week has nothing yet: the streak is not broken until the week is over
    assert progress.weekly_streak([two_weeks_ago, last_week], MONDAY + timedelta(days=4)) == 2
    # a week with nothing ends it
    assert progress.weekly_streak([two_weeks_ago, MONDAY], MONDAY) == 1


@given(st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), max_size=30))
def test_streak_never_exceeds_the_weeks_with_applications(days):
    today = date(2026, 3, 4)
    weeks = {progress.week_start(d) for d in days if d <= today}
    assert 0 <= progress.weekly_streak(days, today) <= len(weeks)


def test_week_count_and_gap():
    sunday_before = MONDAY - timedelta(days=1)
    assert progress.count_this_week([sunday_before, MONDAY, MONDAY], MONDAY) == 2
    assert progress.weeks_since(None, MONDAY) is None
    assert progress.weeks_since(sunday_before, MONDAY) == 1
    assert progress.weeks_since(MONDAY - timedelta(days=20), MONDAY) == 3


def test_pipeline_rates():
    funnel = progress.pipeline(["applied"] * 5 + ["interview", "offer", "rejected"] + ["withdrawn"])
    assert funnel.total == 9
    assert funnel.rate(funnel.heard_back) == 33
    assert funnel.rate(funnel.interviews) == 22
    assert funnel.rate(funnel.offers) == 11
    assert progress.pipeline([]).rate(0) == 0


def test_focus_stage_and_mood_trend():
    assert progress.focus_stage({"technical": 2, "final": 1}) is None
    assert progress.focus_stage({"technical": 3, "final": 4}) == "final"
    assert progress.mood_trend([2, 2], [3, 4]) == "up"
    assert progress.mood_trend([4], [2]) == "down"
    assert progress.mood_trend([3], [3, 3]) == "steady"
    assert progress.mood_trend([], [3]) is None


async def test_progress_with_nothing_logged_is_kind(chat: Chat):
    await chat.send("/progress")
    assert "Nothing logged yet" in chat.text


async def test_progress_shows_the_week_pipeline_skills_and_last_rejection(chat: Chat, clock):
    await chat.send("/rejected Acme - Analyst")
    await chat.press("Technical")
    await chat.press("3")
    await chat.press("That's enough")
    clock.advance(days=2)
    await chat.send("/progress goal 4")
    assert "Weekly goal set: 4" in chat.text
    await chat.send("/applied Globex - Analyst")
    await chat.send("/applied Initech - Analyst")
    await chat.send("/skills add SQL")
    await chat.press("No date")
    await chat.send("/progress")
    text = chat.text
    assert "This week: 2 of 4 applications" in text
    assert "Streak: 1 week with an application" in text
    assert "(s)" not in text
    assert "Pipeline: 2 waiting" in text
    assert "Heard back" not in text  # nothing to report yet: no 0 % verdict
    assert "Rejections by stage: technical 1" in text
    assert "Skills plan: 0 of 1 done; next: SQL" in text
    assert "Days since the last rejection: 2" in text

    await chat.press("Update an application")
    await chat.press("Globex")
    await chat.press("An interview")
    assert "Good luck" in chat.text
    await chat.send("/progress")
    assert "1 waiting · 1 interviewing" in chat.text
    assert "Heard back from 50% · reached interview 50%" in chat.text


async def test_a_no_on_an_application_starts_the_debrief(chat: Chat):
    await chat.send("/applied Globex - Analyst")
    await chat.press("No goal")
    await chat.send("/progress")
    await chat.press("Update an application")
    await chat.press("Globex")
    await chat.press("A no")
    assert "I'm sorry" in chat.text
    assert "How far did you get?" in chat.text  # company and role already known
    await chat.send("/progress")
    assert "1 no" in chat.text


async def test_goal_from_the_progress_buttons(chat: Chat):
    await chat.send("/applied Globex")
    await chat.press("No goal")
    await chat.send("/progress")
    await chat.press("Set weekly goal")
    await chat.press("5")
    await chat.send("/progress")
    assert "This week: 1 of 5 applications" in chat.text
    await chat.send("/progress goal lots")
    assert "from 1 to 50" in chat.text


async def test_plurals_read_naturally(chat: Chat, clock):
    await chat.send("/applied Globex")
    await chat.press("No goal")
    await chat.send("/progress")
    assert "This week: 1 application\n" in chat.text
    assert "Streak: 1 week with an application" in chat.text
    await chat.send("/applied Initech")
    await chat.send("/progress")
    assert "This week: 2 applications" in chat.text
    clock.advance(days=7)
    await chat.send("/applied Hooli")
    await chat.send("/progress")
    assert "Streak: 2 weeks in a row" in chat.text
    await chat.send("/progress goal 1")
    await chat.send("/progress")
    assert "This week: 1 of 1 application\n" in chat.text


async def test_rates_appear_once_applications_are_two_weeks_old(chat: Chat, clock):
    for name in ("Acme", "Globex", "Initech"):
        await chat.send(f"/applied {name}")
    await chat.send("/progress")
    assert "Heard back" not in chat.text
    clock.advance(days=15)
    await chat.send("/progress")
    assert "Heard back from 0%" in chat.text


async def test_a_no_on_a_role_only_application_keeps_the_company_empty(chat: Chat, db):
    from sqlalchemy import select

    from storage.models import Rejection

    await chat.send("/applied - Data Analyst")
    await chat.send("/progress")
    await chat.press("Update an application")
    await chat.press("Data Analyst")
    await chat.press("A no")
    assert "Which company was it?" in chat.text  # the role is known: not asked again
    await chat.press("Skip")
    assert "How far did you get?" in chat.text
    async with db.read() as session:
        [row] = (await session.scalars(select(Rejection))).all()
    assert (row.company, row.role) == (None, "Data Analyst")


async def test_forged_application_ids_are_refused_quietly(chat: Chat):
    await chat.send("/applied Globex")
    await chat.send("/progress")
    await chat.press("Update an application")
    nonce = chat.button("Globex").payload.split(":")[1]
    await chat.press_payload(f"a:{nonce}:a²")
    assert "something went wrong" not in chat.text.lower()


def test_dates_use_english_names_whatever_the_locale():
    import locale

    from core.dialogs.fields import format_date

    try:
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pass  # not installed: the point stands, strftime is not used
    try:
        assert format_date(date(2026, 4, 1)) == "Wed 1 Apr"
        assert format_date(date(2026, 4, 1), year=True) == "Wed 1 Apr 2026"
        assert format_date(date(2026, 12, 31), weekday=False) == "31 Dec"
    finally:
        locale.setlocale(locale.LC_TIME, "C")
