"""/privacy, /export and /delete through the chat, on a real database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from core import content
from core.engine import Engine
from storage.database import Database
from storage.models import Delivery, MoodEntry, Schedule, Strength, User
from storage.repositories.privacy import export, owned_tables
from tests.harness import Chat


async def _user(db: Database, name: str = "alice") -> User | None:
    async with db.read() as session:
        return await session.scalar(select(User).where(User.external_id == name))


async def _rows_of(db: Database, name: str) -> int:
    user = await _user(db, name)
    if user is None:
        return 0
    async with db.read() as session:
        return sum(len(rows) for rows in (await export(session, user.id)).values())


async def _notes(db: Database) -> list[str | None]:
    async with db.read() as session:
        return list((await session.scalars(select(MoodEntry.note).order_by(MoodEntry.id))).all())


async def test_privacy_says_what_is_kept_and_offers_export_and_delete(chat: Chat):
    await chat.send("/privacy")
    assert "mood notes" in chat.text.lower()
    assert "until you delete" in chat.text
    assert "/export" in chat.text and "/delete" in chat.text
    labels = [b.label for b in chat.buttons()]
    assert {"Export my data", "Delete everything", "Keep my mood notes"} <= set(labels)
    await chat.press("Export my data")
    assert chat.last[0].attachment is not None


async def _keep_a_note(chat: Chat, note: str) -> None:
    await chat.send(f"/mood 2 {note}")
    await chat.press("Yes, keep it")


async def test_withdrawing_consent_stops_notes_and_can_delete_the_old_ones(
    chat: Chat, db: Database
):
    await _keep_a_note(chat, "rough day after the Acme call")
    assert await _notes(db) == ["rough day after the Acme call"]
    await chat.send("/privacy")
    await chat.press("Stop keeping mood notes")
    assert "1 note" in chat.text
    await chat.press("Delete those notes")
    assert await _notes(db) == [None]
    assert (await _user(db)).mood_consent is False
    await chat.send("/mood 3 a new note")
    assert content.text("mood.note_not_kept") in chat.text
    assert await _notes(db) == [None, None]
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(MoodEntry)) == 2


async def test_withdrawing_consent_can_keep_the_old_notes(chat: Chat, db: Database):
    await _keep_a_note(chat, "tired")
    await chat.send("/privacy")
    await chat.press("Stop keeping")
    await chat.press("Keep them")
    assert await _notes(db) == ["tired"]
    await chat.send("/privacy")
    await chat.press("Keep my mood notes")
    assert (await _user(db)).mood_consent is True


async def test_export_sends_one_json_document_of_every_table(chat: Chat, new_chat):
    await chat.send("/strengths add Calm under pressure")
    await _keep_a_note(chat, "meh")
    await new_chat("bob").send("/strengths add Bob's secret")
    await chat.send("/export")
    [answer] = chat.last
    assert answer.personal and answer.attachment is not None
    assert answer.attachment.kind == "document"
    assert answer.attachment.filename == "rebound-export.json"
    document = json.loads(answer.attachment.data.decode("utf-8"))
    tables = document["tables"]
    assert set(tables) == {t.name for t in owned_tables()}
    assert tables["users"][0]["external_id"] == "alice"
    assert [s["text"] for s in tables["strengths"]] == ["Calm under pressure"]
    assert [m["note"] for m in tables["mood_entries"]] == ["meh"]
    assert "Bob's secret" not in answer.attachment.data.decode("utf-8")


async def test_export_is_refused_in_a_group_unless_ephemeral(engine: Engine, new_chat):
    group = new_chat("alice", private=False)
    await group.send("/strengths add Visible to nobody")
    await group.send("/export")
    assert all(r.attachment is None for r in group.last)
    assert "private chat" in group.text
    discord = Chat(engine, user="alice", platform="discord", private=False, ephemeral=True)
    await discord.send("/export")
    assert discord.last[0].attachment is not None


async def test_delete_erases_everything_and_the_next_message_starts_fresh(
    chat: Chat, db: Database, clock
):
    await chat.send("/strengths add Patient")
    await _keep_a_note(chat, "note")
    await chat.send("I want to die")  # a crisis event row
    before = await _user(db)
    async with db.write() as session:
        now = datetime(2026, 3, 2, 10, tzinfo=UTC)
        session.add(Schedule(user_id=before.id, kind="checkin", local_time="18:00", timezone="UTC"))
        session.add(
            Delivery(
                user_id=before.id,
                kind="checkin",
                local_date=date(2026, 3, 2),
                status="pending",
                created_at=now,
            )
        )
    assert await _rows_of(db, "alice") >= 6
    await chat.send("/delete")
    await chat.press("Yes, delete everything")
    assert "deleted" in chat.text
    assert await _user(db) is None
    async with db.read() as session:
        for model in (Strength, MoodEntry, Schedule, Delivery):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
    await chat.send("hello")
    assert content.text("engine.greeting_new") in chat.text
    after = await _user(db)
    assert after is not None and not after.onboarded and after.mood_consent is None
    await chat.send("/strengths")
    assert "Patient" not in chat.text


async def test_delete_can_be_called_off(chat: Chat, db: Database):
    await chat.send("/strengths add Kept")
    await chat.send("/delete")
    await chat.press("No, keep it")
    await chat.send("/strengths")
    assert "1. Kept" in chat.text


async def test_delete_is_refused_in_a_group(new_chat, db: Database):
    group = new_chat("alice", private=False)
    await group.send("/strengths add Kept")
    await group.send("/delete")
    assert not group.buttons()
    assert await _user(db) is not None


async def test_another_person_pressing_the_confirmation_does_nothing(
    chat: Chat, new_chat, db: Database
):
    await chat.send("/strengths add Alice's strength")
    await chat.send("/delete")
    confirm = chat.button("Yes, delete")
    bob = new_chat("bob")
    await bob.send("/strengths add Bob's strength")
    await bob.press_button(confirm)
    assert content.text("engine.stale_button") in bob.text
    await bob.send("/delete")  # bob's own confirmation is open, with another nonce
    await bob.press_button(confirm)
    assert bob.last[0].text == content.text("engine.stale_button_open")
    assert await _user(db, "alice") is not None and await _user(db, "bob") is not None
    assert await _rows_of(db, "alice") >= 2 and await _rows_of(db, "bob") >= 2


async def test_a_stale_confirmation_does_nothing(chat: Chat, db: Database):
    await chat.send("/strengths add Still here")
    await chat.send("/delete")
    confirm = chat.button("Yes, delete")
    await chat.send("/cancel")
    await chat.press_button(confirm)
    assert content.text("engine.stale_button") in chat.text
    await chat.send("/delete")
    await chat.send("/mood 3")
    await chat.press_button(confirm)
    assert await _user(db) is not None
    await chat.send("/strengths")
    assert "1. Still here" in chat.text


async def test_a_forged_confirmation_does_nothing(chat: Chat, db: Database):
    await chat.send("/strengths add Still here")
    await chat.send("/delete")
    for forged in ["a:zzzzzz:yes", "a::yes", "a:yes", "c:delete", "yes", "a:" + "x" * 60]:
        await chat.press_payload(forged)
    assert await _user(db) is not None
    await chat.send("/strengths")
    assert "1. Still here" in chat.text
