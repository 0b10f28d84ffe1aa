"""One pipeline (core/pipeline.py): an application, its interview, its rejection or
offer, its silence, read back through /progress, the weekly summary and /export."""

from __future__ import annotations

import json

from sqlalchemy import select

from core.summary import weekly_summary
from storage.models import Application, Rejection, User
from tests.harness import Chat


async def _apps(db):
    async with db.read() as session:
        rows = (await session.scalars(select(Application).order_by(Application.id))).all()
        return {a.company: a.status for a in rows}


async def test_applied_then_rejected_is_one_record(chat: Chat, db):
    await chat.send("/applied Umbrella Corp - SRE")
    await chat.press("No goal")
    await chat.send("/rejected Umbrella Corp - SRE")
    assert chat.text.count("sorry") + chat.text.count("Sorry") <= 1
    await chat.press("Technical")
    await chat.press("3")
    assert await _apps(db) == {"Umbrella Corp": "rejected"}
    await chat.send("/progress")
    assert "1 no" in chat.text and "waiting" not in chat.text
    assert "Rejections by stage: technical 1" in chat.text
    async with db.read() as session:
        [rejection] = (await session.scalars(select(Rejection))).all()
        [application] = (await session.scalars(select(Application))).all()
        assert rejection.application_id == application.id


async def test_a_no_from_progress_says_sorry_once_and_links_the_debrief(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.press("No goal")
    await chat.send("/progress")
    await chat.press("Update an application")
    await chat.press("Analyst at Acme")
    await chat.press("A no")
    assert chat.text.lower().count("sorry") == 1
    assert "Which company" not in chat.text  # the application names it
    await chat.press("Final round")
    await chat.press("2")
    async with db.read() as session:
        [rejection] = (await session.scalars(select(Rejection))).all()
        assert (rejection.company, rejection.role, rejection.stage) == ("Acme", "Analyst", "final")
        assert rejection.application_id is not None
    await chat.send("/progress")
    assert "1 no" in chat.text and "Rejections by stage: final round 1" in chat.text


async def test_a_sentence_rejection_fills_the_role_from_the_application(chat: Chat, db):
    await chat.send("I applied to Hooli for a backend role yesterday")
    assert "Logged: backend at Hooli, applied Sun 1 Mar." in chat.text
    await chat.press("No goal")
    await chat.send("turned down by Hooli after the technical interview")
    assert "Which role" not in chat.text and "role" not in chat.last[-1].text.lower()
    async with db.read() as session:
        [rejection] = (await session.scalars(select(Rejection))).all()
    assert (rejection.company, rejection.role, rejection.stage) == ("Hooli", "backend", "technical")
    assert await _apps(db) == {"Hooli": "rejected"}


async def test_several_open_applications_at_one_company_ask_which(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.press("No goal")
    await chat.send("/applied Acme - Engineer")
    await chat.send("/rejected Acme")
    assert "Which one was it?" in chat.text
    await chat.press("Engineer at Acme")
    async with db.read() as session:
        rows = (await session.scalars(select(Application).order_by(Application.id))).all()
    assert [(a.role, a.status) for a in rows] == [("Analyst", "applied"), ("Engineer", "rejected")]


async def test_removing_the_rejection_reopens_the_application(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.press("No goal")
    await chat.send("/rejected Acme - Analyst")
    await chat.send("/rejected remove 1")
    await chat.send("yes")
    assert await _apps(db) == {"Acme": "applied"}


async def test_interview_offer_and_ghosting_through_progress_summary_and_export(
    chat: Chat, db, clock
):
    await chat.send("/applied Initech - Analyst")
    await chat.press("No goal")
    await chat.send("/applied Globex - Engineer")
    await chat.send("/applied Hooli - Designer")
    await chat.send("/progress")
    await chat.press("Update an application")
    await chat.press("Analyst at Initech")
    await chat.press("An interview")
    await chat.send("/news offer Initech")
    assert "now an offer" in chat.text
    await chat.send("/news interview Nobody Inc")
    assert "don't have an open application" in chat.text

    assert "3" in (await _summary(db, clock.now)).splitlines()[1]  # three sent this week

    clock.advance(days=31)
    await chat.send("/progress")
    assert "2 no answer yet" in chat.text and "1 offer" in chat.text
    await chat.send("/checkin applied 0")
    assert "quiet for 31 days" in chat.text and "Engineer at Globex" in chat.text
    await chat.press("Close it")
    assert "Closed as no answer" in chat.text
    await chat.send("/checkin applied 0")  # the next check-in asks about the next one, once
    assert "Designer at Hooli" in chat.text
    await chat.press("Keep waiting")
    await chat.send("/checkin applied 0")
    assert "quiet for" not in chat.text
    assert await _apps(db) == {"Initech": "offer", "Globex": "ghosted", "Hooli": "applied"}

    await chat.send("/progress")
    assert "1 offer" in chat.text and "1 closed with no answer" in chat.text
    assert "1 no answer yet" in chat.text and "Never answered: 33%" in chat.text

    await chat.send("/export")
    document = json.loads(chat.last[0].attachment.data.decode("utf-8"))
    exported = {row["company"]: row["status"] for row in document["tables"]["applications"]}
    assert exported == {"Initech": "offer", "Globex": "ghosted", "Hooli": "applied"}
    assert "3" not in (await _summary(db, clock.now)).splitlines()[1]  # a month later


async def _summary(db, now) -> str:
    async with db.read() as session:
        user = (await session.scalars(select(User))).one()
        return await weekly_summary(session, user, now)


async def test_an_offer_sentence_becomes_news_of_its_application(chat: Chat, db, clock):
    from core.dialogs.news import command_for
    from core.sentences import read

    await chat.send("/applied Initech - Analyst")
    await chat.press("No goal")
    command = command_for(read("got an offer from Initech for the analyst role", clock.now))
    assert command == "/news offer Initech - analyst"
    await chat.send(command)
    assert "Analyst at Initech is now an offer" in chat.text
    assert await _apps(db) == {"Initech": "offer"}


async def test_naming_the_company_in_the_debrief_links_and_skips_the_role(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.press("No goal")
    await chat.send("/rejected")
    await chat.send("Acme")
    assert "How far did you get?" in chat.text  # the role came from the application
    await chat.press("Screening")
    await chat.press("3")
    async with db.read() as session:
        [rejection] = (await session.scalars(select(Rejection))).all()
    assert (rejection.company, rejection.role, rejection.stage) == ("Acme", "Analyst", "screening")
    assert await _apps(db) == {"Acme": "rejected"}


async def test_closing_an_application_as_no_answer_from_progress(chat: Chat, db):
    await chat.send("/applied Acme - Analyst")
    await chat.press("No goal")
    await chat.send("/progress")
    await chat.press("Update an application")
    await chat.press("Analyst at Acme")
    await chat.press("No answer (close it)")
    assert "Closed as no answer" in chat.text
    assert await _apps(db) == {"Acme": "ghosted"}
    await chat.send("/progress")
    assert "1 closed with no answer" in chat.text and "Never answered: 100%" in chat.text


async def test_a_rejection_yesterday_is_dated_yesterday_and_can_still_be_undone(chat: Chat, db):
    await chat.send("turned down by Globex yesterday")
    await chat.press("Skip")  # the role
    await chat.press("Final round")
    await chat.press("3")
    undo = next(b for r in chat.last for b in r.buttons if b.label == "Undo")
    await chat.send("/progress")
    assert "Days since the last rejection: 1" in chat.text
    await chat.press_button(undo)
    assert "Undone" in chat.text and "Globex · 1 Mar" in chat.text


async def test_the_issues_rejection_sentence_asks_only_what_is_missing(chat: Chat, db):
    await chat.send("turned down by Acme for the analyst role")
    assert "What was the role?" not in chat.text and "Which company" not in chat.text
    assert "How far did you get?" in chat.text
    await chat.press("Technical")
    async with db.read() as session:
        [rejection] = (await session.scalars(select(Rejection))).all()
    assert (rejection.company, rejection.role, rejection.stage) == ("Acme", "analyst", "technical")
