"""/start: each step answered, skipped, or answered badly."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.models import Schedule, User
from storage.repositories import users
from tests.harness import Chat


async def _user(db, external_id="alice") -> User:
    async with db.read() as session:
        user = await users.find(session, "terminal", external_id)
        assert user is not None
        return user


async def _schedules(db) -> dict[str, Schedule]:
    from sqlalchemy import select

    async with db.read() as session:
        rows = (await session.scalars(select(Schedule))).all()
        return {s.kind: s for s in rows}


async def test_full_onboarding_saves_every_answer(chat: Chat, db):
    await chat.send("/start")
    assert "bot, not a therapist" in chat.text
    await chat.send("Alex")
    await chat.send("Berlin")
    await chat.press("Yes, keep notes")
    await chat.send("8:30")
    await chat.send("mon,wed 19:00")
    assert "All set, Alex" in chat.text
    assert "Europe/Berlin" in chat.text and "08:30" in chat.text

    user = await _user(db)
    assert (user.name, user.timezone, user.mood_consent, user.onboarded) == (
        "Alex",
        "Europe/Berlin",
        True,
        True,
    )
    schedules = await _schedules(db)
    assert schedules["affirmation"].local_time == "08:30"
    assert schedules["checkin"].days == "mon,wed"
    # 2026-03-02 10:00 UTC is 11:00 in Berlin: the next 08:30 is tomorrow, 07:30 UTC.
    assert schedules["affirmation"].next_due_at == datetime(2026, 3, 3, 7, 30, tzinfo=UTC)


async def test_every_step_can_be_skipped(chat: Chat, db):
    await chat.send("/start")
    await chat.press("Skip")
    await chat.press("Skip")
    await chat.press("Skip")
    await chat.press("No thanks")
    await chat.press("No thanks")
    assert "All set" in chat.text and "Affirmations: off" in chat.text
    user = await _user(db)
    assert user.name is None and user.timezone == "UTC" and user.mood_consent is None
    assert not any(s.enabled for s in (await _schedules(db)).values())


async def test_unknown_zone_is_asked_again_and_changes_nothing(chat: Chat, db):
    await chat.send("/start")
    await chat.send("Sam")
    await chat.send("Xyzzy Prime")
    assert "couldn't place" in chat.text
    assert (await _user(db)).timezone == "UTC"
    await chat.send("UTC+2")
    assert "mood" in chat.text.lower()
    assert (await _user(db)).timezone == "Etc/GMT-2"


async def test_bad_time_is_asked_again(chat: Chat):
    await chat.send("/start")
    for _ in range(3):
        await chat.press("Skip")
    await chat.send("25:99")
    assert "didn't catch that time" in chat.text


async def test_half_finished_onboarding_resumes_with_a_new_engine(chat: Chat, db, clock):
    from core.dialogs import all_dialogs
    from core.engine import Engine

    await chat.send("/start")
    await chat.send("Robin")
    restarted = Chat(Engine(db, all_dialogs(), clock=clock), user="alice")
    await restarted.send("Lisbon")
    assert "mood" in restarted.text.lower()
    assert (await _user(db)).timezone == "Europe/Lisbon"


# -- /start again, and deep links ----------------------------------------------------


async def _set_up(chat: Chat) -> None:
    await chat.send("/start")
    await chat.send("Alex")
    await chat.send("Berlin")
    await chat.press("No notes, thanks")
    await chat.send("8:30")
    await chat.press("No thanks")
    assert "All set, Alex" in chat.text


async def test_a_second_start_welcomes_back_and_keeps_everything(chat: Chat, db):
    from core import content

    await _set_up(chat)
    await chat.send("/start")
    assert chat.text.startswith("Welcome back, Alex.")
    assert content.text("onboarding.ask_name") not in chat.text
    await chat.press("My settings")
    assert "Europe/Berlin" in chat.text and "08:30" in chat.text
    user = await _user(db)
    assert (user.name, user.timezone, user.onboarded) == ("Alex", "Europe/Berlin", True)


async def test_start_again_goes_through_the_set_up_on_purpose(chat: Chat):
    from core import content

    await _set_up(chat)
    await chat.send("/start")
    await chat.press("Set up again")
    assert content.text("onboarding.ask_name") in chat.text


async def test_a_deep_link_payload_runs_the_command_it_names(chat: Chat, db):
    await chat.send("/start mood")
    assert "from 1 (very low) to 5" in chat.text
    await chat.send("/cancel")
    await chat.send("/start mood-3")
    assert "3/5" in chat.text
    await chat.send("/start rejected")
    assert "rejection" in chat.text.lower() or "company" in chat.text.lower()


async def test_a_payload_that_names_no_command_is_an_ordinary_start(chat: Chat):
    from core import content

    await chat.send("/start from-a-friend")
    assert content.text("onboarding.ask_name") in chat.text
    await _set_up(chat)
    await chat.send("/start nothing-known")
    assert chat.text.startswith("Welcome back, Alex.")


def test_deep_link_parsing():
    from core.engine import Command, deep_link

    known = {"mood", "vouch", "strengths", "start"}
    assert deep_link("vouch-K3Y-9x", known) == Command("vouch", "K3Y-9x")
    assert deep_link("mood", known) == Command("mood", "")
    assert deep_link("MOOD-4", known) == Command("mood", "4")
    assert deep_link("start-mood", known) is None
    assert deep_link("unknown-1", known) is None
