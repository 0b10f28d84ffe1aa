"""Days, times, durations, numbers and yes/no as people write them (core/timeparse.py,
core/schedule_setup.py, core/words.py), and the same words through the chat."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.dialogs.pause import parse_day_count as pause_days
from core.schedule_setup import days_and_time
from core.words import duration_days, whole_number, yes_no
from storage.models import MoodEntry, Schedule, User
from tests.harness import Chat

WEEKDAYS = "mon,tue,wed,thu,fri"

# typed -> (days, time); without a time the default 18:00, without days mon,thu
DAY_TIMES = [
    ("Mon, wed, fri at 7pm", ("mon,wed,fri", "19:00")),
    ("tuesdays 18:00", ("tue", "18:00")),
    ("every weekday at 9am", (WEEKDAYS, "09:00")),
    ("mon,thu 18:00", ("mon,thu", "18:00")),
    ("Mon Thu 18:00", ("mon,thu", "18:00")),
    ("mon-fri 8:30", (WEEKDAYS, "08:30")),
    ("Monday to Friday at 19:00", (WEEKDAYS, "19:00")),
    ("monday through friday 7 pm", (WEEKDAYS, "19:00")),
    ("tue–thu 6pm", ("tue,wed,thu", "18:00")),
    ("fri-mon 9", ("mon,fri,sat,sun", "09:00")),
    ("weekends at noon", ("sat,sun", "12:00")),
    ("Sat & Sun 10am", ("sat,sun", "10:00")),
    ("saturdays and sundays at 11", ("sat,sun", "11:00")),
    ("daily 7 pm", ("daily", "19:00")),
    ("every day at 21h", ("daily", "21:00")),
    ("everyday 6.30pm", ("daily", "18:30")),
    ("at 7.30pm on tuesdays and thursdays", ("tue,thu", "19:30")),
    ("wednesdays at 12:15", ("wed", "12:15")),
    ("Wednesday", ("wed", "18:00")),
    ("thurs", ("thu", "18:00")),
    ("weekdays", (WEEKDAYS, "18:00")),
    ("19:00", ("mon,thu", "19:00")),
    ("7pm", ("mon,thu", "19:00")),
    ("at 8 am", ("mon,thu", "08:00")),
    ("noon", ("mon,thu", "12:00")),
    ("MONDAYS 9AM", ("mon", "09:00")),
    ("mon/wed/fri 07:45", ("mon,wed,fri", "07:45")),
    ("Tue; Thu at 20:00", ("tue,thu", "20:00")),
    ("every monday and friday at 5 p.m.", ("mon,fri", "17:00")),
    ("on tuesdays at 18.00", ("tue", "18:00")),
    ("someday", None),
    ("mon at 25:00", None),
    ("funday 9am", None),
]


@pytest.mark.parametrize(("typed", "expected"), DAY_TIMES)
def test_days_and_time_as_people_write_them(typed, expected):
    assert days_and_time(typed) == expected


def test_at_least_thirty_day_and_time_forms():
    assert sum(1 for _, expected in DAY_TIMES if expected is not None) >= 30


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("3", 3),
        ("3 days", 3),
        ("3d", 3),
        ("two weeks", 14),
        ("a week", 7),
        ("a fortnight", 14),
        ("1 month", 30),
        ("2 weeks and 3 days", 17),
        ("ten days", 10),
        ("10 years", None),
        ("0", None),
        ("forever-ish", None),
    ],
)
def test_pause_lengths_in_words(typed, days):
    assert pause_days(typed) == days


@pytest.mark.parametrize(
    ("typed", "value"),
    [("two", 2), ("3/5", 3), ("Five", 5), ("4", 4), ("six", None), ("²", None), ("2.5", None)],
)
def test_mood_numbers_in_words(typed, value):
    assert whole_number(typed, 1, 5) == value


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("yes", True),
        ("Yes!", True),
        ("yeah", True),
        ("sure", True),
        ("ok", True),
        ("no", False),
        ("Nope", False),
        ("nah", False),
        ("keep it", False),
        ("maybe", None),
    ],
)
def test_yes_and_no_in_words(typed, meant):
    assert yes_no(typed) is meant if meant is None else yes_no(typed) == meant


def test_durations_refuse_nonsense():
    assert duration_days("") is None and duration_days("weeks weeks") is None


async def _one(db, model):
    async with db.read() as session:
        return (await session.scalars(select(model))).all()


async def test_the_issues_words_through_the_chat(chat: Chat, db, clock):
    await chat.send("/checkins Mon, wed, fri at 7pm")
    [checkin] = [s for s in await _one(db, Schedule) if s.kind == "checkin"]
    assert (checkin.days, checkin.local_time) == ("mon,wed,fri", "19:00")
    await chat.send("/checkins tuesdays 18:00")
    [checkin] = [s for s in await _one(db, Schedule) if s.kind == "checkin"]
    assert (checkin.days, checkin.local_time) == ("tue", "18:00")

    await chat.send("/pause two weeks")
    [user] = await _one(db, User)
    assert user.paused_until is not None and (user.paused_until - clock.now).days == 14
    await chat.send("/resume")

    await chat.send("/mood two")
    await chat.send("/mood 3/5")
    assert [m.score for m in await _one(db, MoodEntry)] == [2, 3]

    await chat.send("/delete")
    await chat.send("no thanks")
    assert len(await _one(db, MoodEntry)) == 2
    await chat.send("/delete")
    await chat.send("yes")
    assert await _one(db, MoodEntry) == []


async def test_skill_date_in_words_and_a_future_example(chat: Chat, db, clock):
    clock.advance(days=300)  # 27 December 2026: an example fixed in March would be past
    await chat.send("/skills add Terraform")
    await chat.send("whenever")
    assert "7 Feb 2027" in chat.text  # six weeks ahead
    await chat.send("by christmas")
    assert "25 Dec 2027" in chat.text


@pytest.mark.parametrize("typed", ["-3", "-3 days", "\u22122 weeks"])
def test_a_negative_duration_is_none(typed: str):
    assert duration_days(typed) is None
