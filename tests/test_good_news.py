"""Good news is a path (issue 13): celebrate, update the application, prepare, and a
good-luck note on the day and "how did it go?" the day after, in the person's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from core import variety
from core.delivery import Dispatcher
from core.outbox import DeliverySettings
from storage.database import Database
from storage.models import Application, Interview
from tests.harness import Chat
from tests.test_dispatch import RecordingOutlet


async def _statuses(db: Database) -> dict[str, str]:
    async with db.read() as session:
        rows = (await session.scalars(select(Application))).all()
        return {row.company or "": row.status for row in rows}


async def test_an_offer_is_celebrated_and_the_named_application_updated(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.send("/applied Globex - Tester")
    await chat.send("I got an offer from Acme")
    assert chat.last[0].text in variety.wordings("good_news.celebrate.offer")
    assert "simple bot" not in chat.text
    assert "Analyst at Acme now shows the offer" in chat.text
    assert await _statuses(db) == {"Acme": "offer", "Globex": "applied"}


async def test_ambiguous_news_asks_which_application(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.send("/applied Globex - Tester")
    await chat.send("I have an interview tomorrow")
    assert "Which of your applications is it?" in chat.text
    await chat.press("Tester at Globex")
    assert "Tester at Globex is now at the interview stage" in chat.text
    assert await _statuses(db) == {"Acme": "applied", "Globex": "interview"}


async def test_none_of_these_changes_nothing(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.send("I have an interview")
    await chat.press("None of these")
    assert await _statuses(db) == {"Acme": "applied"}
    assert "preparation sheet" in chat.text


async def test_the_preparation_sheet_is_built_from_the_persons_own_record(chat: Chat):
    await chat.send("/strengths add I explain hard things simply")
    await chat.send("/skills add SQL window functions")
    await chat.press("No date")
    await chat.send("I got an interview at Initech")
    assert "couldn't find Initech" in chat.text
    await chat.press("Yes please")
    assert "I explain hard things simply" in chat.text
    assert "SQL window functions" in chat.text


async def test_interview_day_gets_good_luck_and_the_day_after_a_question(
    chat: Chat, db: Database, clock
):
    await chat.send("/timezone Europe/Berlin")
    await chat.send("/checkins daily 18:00")
    await chat.send("/applied Acme - Analyst")
    await chat.send("I got an interview with Acme")  # Monday 2 March
    await chat.press("Not now")
    await chat.press("Tomorrow")
    assert "Noted for" in chat.text
    async with db.read() as session:
        [interview] = (await session.scalars(select(Interview))).all()
        assert interview.held_on.isoformat() == "2026-03-03"

    outlet = RecordingOutlet()
    dispatcher = Dispatcher(db, [outlet], clock=clock, settings=DeliverySettings())
    await dispatcher.run_pass(datetime(2026, 3, 3, 6, 30, tzinfo=UTC))  # 07:30 in Berlin
    assert not [s for s in outlet.sent if s[1] == "interview"]
    await dispatcher.run_pass(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))  # 08:00 in Berlin
    await dispatcher.run_pass(datetime(2026, 3, 3, 7, 5, tzinfo=UTC))  # once only
    luck = [s for s in outlet.sent if s[1] == "interview"]
    assert [(day, text in variety.wordings("good_news.luck")) for _, _, day, text in luck] == [
        ("2026-03-03", True)
    ]
    await dispatcher.run_pass(datetime(2026, 3, 4, 17, 0, tzinfo=UTC))  # 18:00 next day
    notes = [s for s in outlet.sent if s[1] == "interview"]
    assert len(notes) == 2
    assert notes[1][2] == "2026-03-04"
    assert notes[1][3] in variety.wordings("good_news.how_did_it_go")


async def test_without_check_ins_nothing_is_promised(chat: Chat):
    await chat.send("I have an interview on Friday")
    await chat.press("Not now")
    assert "Check-ins are off" in chat.text


async def test_a_time_is_not_taken_for_a_company(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.send("I have an interview at 10 tomorrow")
    assert "couldn't find" not in chat.text
    assert "Which of your applications is it?" in chat.text
