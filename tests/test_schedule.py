"""/timezone, /affirmations, /checkins, /settings, /pause, /resume as a person uses them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import Schedule, User
from storage.repositories import users
from tests.harness import Chat


async def _user(db) -> User:
    async with db.read() as session:
        user = await users.find(session, "terminal", "alice")
        assert user is not None
        return user


async def _schedules(db) -> dict[str, Schedule]:
    async with db.read() as session:
        return {s.kind: s for s in (await session.scalars(select(Schedule))).all()}


async def test_timezone_with_a_city_moves_every_schedule(chat: Chat, db):
    await chat.send("/affirmations 09:00")
    assert "UTC" in chat.text and "/timezone" in chat.text  # a hint to set the zone
    await chat.send("/timezone Kolkata")
    assert "Asia/Kolkata" in chat.text and "15:30" in chat.text  # 10:00 UTC is 15:30 there
    assert (await _user(db)).timezone == "Asia/Kolkata"
    schedule = (await _schedules(db))["affirmation"]
    assert schedule.timezone == "Asia/Kolkata"
    assert schedule.next_due_at == datetime(2026, 3, 3, 3, 30, tzinfo=UTC)


async def test_timezone_accepts_an_offset_and_refuses_nonsense(chat: Chat, db):
    await chat.send("/timezone UTC+2")
    assert (await _user(db)).timezone == "Etc/GMT-2"
    assert "UTC+2" in chat.text and "Etc/GMT" not in chat.text
    await chat.send("/settings")
    assert "UTC+2" in chat.text and "Etc/GMT" not in chat.text
    await chat.send("/timezone Xyzzy Prime")
    assert "couldn't place" in chat.text
    assert (await _user(db)).timezone == "Etc/GMT-2"


async def test_timezone_half_hour_offsets_aliases_and_abbreviations(chat: Chat, db):
    await chat.send("/timezone UTC+5:30")
    assert (await _user(db)).timezone == "Asia/Kolkata"
    await chat.send("/timezone Paris, France")
    assert (await _user(db)).timezone == "Europe/Paris"
    await chat.send("/timezone EST")
    assert (await _user(db)).timezone == "America/New_York"
    await chat.send("/timezone Mumbai")
    assert "Asia/Kolkata" in chat.text


async def test_timezone_without_argument_asks_and_can_keep(chat: Chat, db):
    await chat.send("/timezone")
    assert "UTC" in chat.text
    await chat.send("Nowhere-ville")
    assert "couldn't place" in chat.text
    await chat.send("America/Los_Angeles")
    assert (await _user(db)).timezone == "America/Los_Angeles"
    await chat.send("/timezone")
    await chat.press("Keep")
    assert "staying with America/Los_Angeles" in chat.text


async def test_affirmations_at_once_off_and_by_button(chat: Chat, db):
    await chat.send("/affirmations 7:45pm")
    assert "19:45" in chat.text
    assert (await _schedules(db))["affirmation"].next_due_at == datetime(
        2026, 3, 2, 19, 45, tzinfo=UTC
    )
    await chat.send("/affirmations off")
    schedule = (await _schedules(db))["affirmation"]
    assert (schedule.enabled, schedule.next_due_at, schedule.local_time) == (False, None, "19:45")
    await chat.send("/affirmations")
    assert "off" in chat.text
    await chat.press("12:00")
    schedule = (await _schedules(db))["affirmation"]
    assert (schedule.enabled, schedule.local_time) == (True, "12:00")
    await chat.send("/affirmations soon")
    assert "didn't catch" in chat.text


async def test_affirmations_dialog_lets_other_talk_through(chat: Chat):
    await chat.send("/affirmations")
    await chat.send("thanks")
    assert "didn't catch" not in chat.text


async def test_checkins_days_and_time_separately(chat: Chat, db):
    await chat.send("/checkins mon,wed 19:00")
    assert "Mon, Wed at 19:00" in chat.text
    await chat.send("/checkins 20:00")  # keeps the days
    schedule = (await _schedules(db))["checkin"]
    assert (schedule.days, schedule.local_time) == ("mon,wed", "20:00")
    await chat.send("/checkins weekdays")  # keeps the time
    schedule = (await _schedules(db))["checkin"]
    assert (schedule.days, schedule.local_time) == ("mon,tue,wed,thu,fri", "20:00")
    await chat.send("/checkins off")
    assert not (await _schedules(db))["checkin"].enabled
    await chat.send("/checkins")
    await chat.press("Mon & Thu")
    schedule = (await _schedules(db))["checkin"]
    assert (schedule.enabled, schedule.days, schedule.local_time) == (True, "mon,thu", "18:00")
    assert schedule.next_due_at == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    await chat.send("/checkins someday")
    assert "didn't catch" in chat.text


async def test_settings_shows_everything_with_buttons(chat: Chat):
    await chat.send("/timezone Berlin")
    await chat.send("/affirmations 08:30")
    await chat.send("/checkins mon,thu 18:00")
    await chat.send("/settings")
    assert "Europe/Berlin" in chat.text and "08:30" in chat.text and "Mon, Thu" in chat.text
    assert chat.last[0].personal
    await chat.press("Pause")
    await chat.press("3 days")
    assert "Paused until Thu 5 Mar, 11:00" in chat.text  # local time in Berlin
    await chat.send("/settings")
    assert "Paused until" in chat.text
    await chat.press("Resume")
    assert "on again" in chat.text


async def test_pause_arguments(chat: Chat, db):
    await chat.send("/pause 7")
    assert (await _user(db)).paused_until == datetime(2026, 3, 9, 10, tzinfo=UTC)
    await chat.send("/pause tomorrow")
    assert "/pause 3" in chat.text
    await chat.send("/pause forever")
    await chat.send("/settings")
    assert "until you /resume" in chat.text
    await chat.send("/resume")
    assert (await _user(db)).paused_until is None
    await chat.send("/resume")
    assert "Nothing" in chat.text


async def test_pause_refuses_odd_numbers_without_crashing(chat: Chat, db):
    for typed in ("/pause ³", "/pause ①", "/pause " + "9" * 5000, "/pause 0", "/pause 366"):
        await chat.send(typed)
        assert "/pause 3" in chat.text, typed
        assert (await _user(db)).paused_until is None
    await chat.send("/pause 3d")
    assert (await _user(db)).paused_until == datetime(2026, 3, 5, 10, tzinfo=UTC)
    await chat.send("/resume")
    await chat.send("/pause")
    await chat.send("²")
    assert "went wrong" not in chat.text.lower()
