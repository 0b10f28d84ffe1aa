"""/applied: logging applications, the weekly goal, the streak and a kind welcome back."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Application
from tests.harness import Chat


async def test_log_then_set_a_goal(chat: Chat, db):
    await chat.send("/applied Acme - Data Analyst")
    assert "Logged: Data Analyst at Acme." in chat.text
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
    assert "Logged: Researcher at Umbrella." in chat.text


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


async def test_goal_question_comes_once_even_when_unanswered(chat: Chat):
    await chat.send("/applied Acme")
    assert "weekly goal?" in chat.text
    await chat.send("/applied Globex")  # the question was let go
    assert "weekly goal?" not in chat.text
    await chat.send("/applied Initech")
    assert "weekly goal?" not in chat.text


async def test_a_superscript_or_huge_goal_is_not_a_number(chat: Chat):
    await chat.send("/applied Acme")
    await chat.send("²")
    assert "something went wrong" not in chat.text.lower()
    assert "Weekly goal set" not in chat.text
    await chat.send("/progress goal " + "9" * 5000)
    assert "A weekly goal is a number from 1 to 50" in chat.text
    await chat.send("/progress goal ³")
    assert "A weekly goal is a number from 1 to 50" in chat.text


def test_parse_what_takes_sentences_and_edge_separators():
    from core.dialogs.applied import parse_what

    assert parse_what("I applied for a job at Goal Inc") == ("Goal Inc", None)
    assert parse_what("I just applied for a Data Analyst role at Goal Inc") == (
        "Goal Inc",
        "Data Analyst",
    )
    assert parse_what("I applied to acme today") == ("acme", None)
    assert parse_what("Acme - Data Analyst") == ("Acme", "Data Analyst")
    assert parse_what("- Data Analyst") == (None, "Data Analyst")
    assert parse_what("Acme –") == ("Acme", None)
    assert parse_what("  -  ") == (None, None)


async def test_guided_log_strips_the_lead_in(chat: Chat, db):
    await chat.send("/applied")
    await chat.send("I applied for a job at Goal Inc")
    assert "Logged: Goal Inc." in chat.text
    async with db.read() as session:
        [row] = (await session.scalars(select(Application))).all()
    assert (row.company, row.role) == ("Goal Inc", None)


async def test_role_only_with_a_leading_separator(chat: Chat, db):
    await chat.send("/applied - Data Analyst")
    assert "Logged: Data Analyst." in chat.text
    await chat.send("/applied  -  ")
    assert "Logged: -" not in chat.text
    async with db.read() as session:
        rows = (await session.scalars(select(Application))).all()
    assert [(a.company, a.role) for a in rows] == [(None, "Data Analyst")]


async def test_the_what_step_does_not_log_feelings_or_thanks(chat: Chat, db):
    await chat.send("/applied")
    await chat.send("I feel awful today")
    assert "Logged" not in chat.text
    await chat.send("/applied")
    await chat.send("thanks")
    assert "Logged" not in chat.text
    async with db.read() as session:
        assert (await session.scalars(select(Application))).all() == []


async def test_applying_to_a_company_called_progress_logs_it(chat: Chat, db):
    await chat.send("I applied to Progress Software today")
    assert "Logged: Progress Software." in chat.text
    assert "Your search so far" not in chat.text


async def test_how_many_applications_shows_progress(chat: Chat):
    await chat.send("/applied Acme")
    await chat.press("No goal")
    await chat.send("how many applications this week")
    assert "Your search so far:" in chat.text


async def test_fields_names_and_dates_in_typed_applications(chat: Chat, db):
    await chat.send("/applied Applied Materials - Engineer")  # a name, not a sentence
    await chat.press("No goal")
    await chat.send("/applied Sunday")  # a company called Sunday: no date taken from it
    await chat.send("/applied Hooli - Backend last Friday")  # the clock's Monday 2 March
    assert "Logged: Backend at Hooli, applied Fri 27 Feb." in chat.text
    await chat.send("I applied to Initech for an analyst role on the 1st")
    async with db.read() as session:
        rows = (await session.scalars(select(Application).order_by(Application.id))).all()
    assert [(a.company, a.role, str(a.applied_on)) for a in rows] == [
        ("Applied Materials", "Engineer", "2026-03-02"),
        ("Sunday", None, "2026-03-02"),
        ("Hooli", "Backend", "2026-02-27"),
        ("Initech", "analyst", "2026-03-01"),
    ]
