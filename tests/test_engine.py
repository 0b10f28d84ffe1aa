"""Routing: commands, free text by intent, buttons, /cancel, bad input, concurrency."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from core import content, variety
from core.engine import Command, parse_command
from storage.models import ConversationState, Strength, User
from storage.repositories import users
from tests.harness import Chat


def test_parse_command_handles_bot_names_and_arguments():
    assert parse_command("/mood@ReboundBot 3 rough") == Command("mood", "3 rough")
    assert parse_command("/STRENGTHS") is not None
    assert parse_command("not a command") is None
    assert parse_command("/") is None
    assert parse_command("/ ") is None
    assert parse_command("/mood\u00a03") == Command("mood", "3")  # a phone's no-break space
    assert parse_command("/mооd") is None  # Cyrillic letters are not a command name


async def test_unknown_command_gets_a_short_answer(chat: Chat):
    await chat.send("/frobnicate now")
    assert chat.text == content.text("engine.unknown_command", command="frobnicate")


async def test_rejection_in_free_text_starts_the_debrief_with_the_company(chat: Chat):
    await chat.send("I got turned down by Acme")
    assert "sorry" in chat.text.lower()
    assert "What was the role" in chat.text  # company already known


async def test_unknown_text_gets_a_kind_fallback_with_options(chat: Chat):
    await chat.send("purple elephants")
    assert chat.text in variety.wordings("engine.fallback")
    assert len(chat.buttons()) >= 3


async def test_greeting_and_thanks(chat: Chat):
    await chat.send("hello")
    assert "/start" in chat.text
    await chat.send("thanks!")
    assert chat.text == content.text("engine.thanks")


async def test_cancel_leaves_a_dialog_and_says_so(chat: Chat, db):
    await chat.send("/start")
    await chat.send("/cancel")
    assert chat.text == content.text("engine.cancelled")
    async with db.read() as session:
        assert await session.get(ConversationState, 1) is None
    await chat.send("/cancel")
    assert chat.text == content.text("engine.nothing_to_cancel")


async def test_stale_button_is_refused_without_effect(chat: Chat, db):
    await chat.send("/strengths")  # empty list: offers the guided dialog
    old = chat.button("How I work")
    await chat.send("/mood")  # a new dialog
    await chat.press_button(old)
    assert chat.last[0].text == content.text("engine.stale_button_open")
    assert "How are you feeling" in chat.text  # the open question, shown again
    await chat.press("3")  # the mood dialog is still where it was
    assert "few words" in chat.text


async def test_forged_payloads_are_refused(chat: Chat):
    for payload in ("", "zzz", "a:short:1", "c:not-a-command", "a:abcdef", "💥" * 10):
        await chat.press_payload(payload)
        assert chat.text in (
            content.text("engine.bad_button"),
            content.text("engine.stale_button"),
        ), payload


async def test_someone_elses_button_does_nothing_for_them(chat: Chat, new_chat, db):
    await chat.send("/strengths")
    alices = chat.button("How I work")
    bob = new_chat("bob")
    await bob.press_button(alices)
    assert bob.text == content.text("engine.stale_button")


async def test_empty_long_emoji_and_rtl_text(chat: Chat, db):
    await chat.send("   ")
    assert chat.text == content.text("engine.empty")
    long = "x" * 10_000
    await chat.send(long)
    assert chat.last  # answered, no crash
    await chat.send("/strengths add " + "🙂 שלום עולם مرحبا")
    await chat.send("/strengths")
    assert "🙂 שלום עולם مرحبا" in chat.text
    await chat.send("/strengths add " + "y" * 5_000)
    assert "longer than I keep" in chat.text
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 1


async def test_button_number_that_does_not_exist_is_harmless(chat: Chat):
    await chat.send("/mood")
    await chat.send("9")  # typed, not a button: not a valid score either
    assert chat.last


async def test_explicit_crisis_statement_gets_resources_not_the_flow(chat: Chat):
    await chat.send("/start")
    await chat.send("I want to die")
    assert "not an emergency service" in chat.text
    assert "What should I call you" not in chat.text
    await chat.send("No, I'm fine")
    await chat.send("I want to kill myself")
    assert "not an emergency service" in chat.text


async def test_hyperbole_is_not_a_crisis(chat: Chat):
    await chat.send("this rejection is killing me")
    assert "emergency" not in chat.text


async def test_two_hundred_people_at_once_lose_nothing(engine, db, new_chat):
    chats = [new_chat(f"user{n}") for n in range(200)]
    await asyncio.gather(
        *(c.send(f"/strengths add Strength of user{n}") for n, c in enumerate(chats))
    )
    await asyncio.gather(*(c.send("/mood 3") for c in chats))
    errors = [c for c in chats if content.text("engine.error") in c.text]
    assert errors == []
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 200
    await asyncio.gather(*(c.send("/strengths") for c in chats))
    for n, c in enumerate(chats):
        assert f"1. Strength of user{n}" in c.text


async def test_one_persons_messages_are_handled_in_order(chat: Chat):
    await asyncio.gather(*(chat.send(f"/strengths add S{n:02d}") for n in range(20)))
    await chat.send("/strengths")
    for n in range(20):
        assert f"S{n:02d}" in chat.text


async def test_nul_characters_are_dropped_before_anything_is_stored(chat: Chat):
    await chat.send("/strengths add Calm\x00 under pressure")
    await chat.send("/strengths")
    assert "1. Calm under pressure" in chat.text


class _Deadlock(Exception):
    sqlstate = "40P01"


async def test_a_transaction_aborted_by_a_deadlock_is_run_again(chat: Chat, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from storage.repositories import users

    real = users.get_or_create
    failures = [OperationalError("SELECT ...", {}, _Deadlock("deadlock detected"))]

    async def flaky(*args, **kwargs):
        if failures:
            raise failures.pop()
        return await real(*args, **kwargs)

    monkeypatch.setattr(users, "get_or_create", flaky)
    await chat.send("/strengths add Calm")
    assert "Saved" in chat.text and not failures


async def test_other_database_errors_get_the_apology_once(chat: Chat, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from storage.repositories import users

    calls = []

    async def broken(*args, **kwargs):
        calls.append(1)
        raise OperationalError("SELECT ...", {}, Exception("disk I/O error"))

    monkeypatch.setattr(users, "get_or_create", broken)
    await chat.send("/strengths")
    assert chat.text == content.text("engine.error") and len(calls) == 1


def test_a_person_has_every_column_of_users_and_nothing_else():
    """``users.Person`` mirrors the table: a column added by a migration must be added
    there too, or the engine would neither read nor write it."""
    assert set(users.PERSON_FIELDS) == set(User.__table__.c.keys())


async def test_what_a_message_changes_about_a_person_is_stored_and_nothing_else(
    chat: Chat, db, clock
):
    await chat.send("/timezone Lisbon")
    await chat.send("/pause 3 days")
    async with db.read() as session:
        person = await session.scalar(select(User).where(User.external_id == chat.user))
    assert person.timezone == "Europe/Lisbon"
    assert person.paused_until is not None
    before = {column: getattr(person, column) for column in users.PERSON_FIELDS}
    await chat.send("/strengths add Patient")  # changes nothing about the person
    async with db.read() as session:
        after = await session.scalar(select(User).where(User.external_id == chat.user))
    assert {column: getattr(after, column) for column in users.PERSON_FIELDS} == before
