"""A dialog entered from free text asks only what the text is about: the applied
dialog does not ask to log an application for text that is not about one, and a
sentence that names a skill offers that skill; declining the preparation sheet
says something true of the strengths list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import content
from storage.database import Database
from storage.models import Application, SkillItem
from tests.harness import Chat

ASK_WHAT = content.text("applied.ask_what")


@pytest.mark.parametrize("text", ["my phone died", "I need to cut back on applications"])
async def test_text_not_about_an_application_asks_for_none(chat: Chat, db: Database, text: str):
    await chat.send(text)
    assert ASK_WHAT not in chat.text
    await chat.send("Acme - Analyst")  # nothing was waiting for an application
    async with db.read() as session:
        assert (await session.scalars(select(Application))).all() == []


async def test_news_of_an_application_still_asks_which(chat: Chat):
    await chat.send("just sent another application")
    assert chat.text == ASK_WHAT


async def test_a_skill_named_in_a_sentence_is_offered(chat: Chat, db: Database):
    await chat.send("I need to work on my SQL")
    assert chat.text == content.text("skills.offer", text="SQL")
    await chat.press("Yes, add it")
    assert content.text("skills.added", text="SQL") in chat.text
    async with db.read() as session:
        assert [i.text for i in (await session.scalars(select(SkillItem))).all()] == ["SQL"]


async def test_a_skill_offer_can_be_declined_or_changed(chat: Chat, db: Database):
    await chat.send("I want to get better at public speaking")
    assert '"public speaking"' in chat.text
    await chat.send("not now")
    assert chat.text == content.text("skills.offer_declined")
    await chat.send("I need to work on my SQL")
    await chat.press("Something else")
    await chat.send("Python")
    async with db.read() as session:
        assert [i.text for i in (await session.scalars(select(SkillItem))).all()] == ["Python"]


async def test_not_now_to_the_preparation_sheet_is_true_with_an_empty_list(chat: Chat):
    await chat.send("I have an interview tomorrow")
    await chat.press("Not now")
    assert "/strengths has your list" not in chat.text
    assert content.text("good_news.prep_skipped_empty") in chat.text


async def test_not_now_to_the_preparation_sheet_points_to_a_real_list(chat: Chat):
    await chat.send("/strengths add Calm under pressure")
    await chat.send("I have an interview tomorrow")
    await chat.press("Not now")
    assert "/strengths has your list" in chat.text
