"""Consent (issue 18): a mood note typed before the person answered the consent question
is held only while that question is open; /export shows it meanwhile; a question left
unanswered is forgotten with its dialog (core/retention.py)."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.scheduler import DeliveryJob
from bot.settings import Settings
from core.engine import STATE_TTL
from storage.database import Database
from storage.models import ConversationState, MoodEntry
from tests.conftest import FakeClock
from tests.harness import Chat
from tests.test_dispatch import RecordingOutlet


async def _stored_text(db: Database) -> str:
    """Everything stored about moods and open dialogs, as one string to search."""
    async with db.read() as session:
        states = (await session.scalars(select(ConversationState))).all()
        entries = (await session.scalars(select(MoodEntry))).all()
    return json.dumps([s.data for s in states]) + " ".join(str(e.note) for e in entries)


async def test_a_pending_note_is_shown_by_export_while_it_exists(chat: Chat, db: Database):
    await chat.send("/mood 2 rough day")
    assert "keep that note" in chat.text
    await chat.send("/export")
    answer = chat.last[0]
    assert answer.attachment is not None
    assert "rough day" in answer.attachment.data.decode("utf-8")
    # /export is one-shot: the consent question is asked again, the note still waits on it
    assert "May I keep that note" in chat.last[-1].text
    await chat.press("No, just the score")
    assert "rough day" not in await _stored_text(db)


async def test_an_unanswered_consent_question_is_forgotten_with_its_note(
    chat: Chat, db: Database, clock: FakeClock
):
    await chat.send("/mood 2 rough day")
    assert "rough day" in await _stored_text(db)
    job = DeliveryJob(db, [RecordingOutlet()], Settings(_env_file=None), clock=clock)  # type: ignore[call-arg]
    await job.tick()
    assert "rough day" in await _stored_text(db)  # still within the day it may be answered
    clock.advance(seconds=STATE_TTL.total_seconds() + 60)
    await job.tick()
    assert "rough day" not in await _stored_text(db)
    async with db.read() as session:
        assert (await session.scalars(select(MoodEntry.score))).all() == [2]  # the score stays


async def test_a_consent_question_left_for_another_command_keeps_no_note(chat: Chat, db):
    await chat.send("/mood 2 rough day")
    await chat.send("/strengths")
    assert "rough day" not in await _stored_text(db)
