"""/rejected: the whole debrief, each of the six steps taken, saved for later or skipped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.database import Database
from storage.models import (
    Application,
    FeedbackRequest,
    MoodEntry,
    Reflection,
    Rejection,
    SkillItem,
    Strength,
    Target,
    User,
)
from tests.harness import Chat


async def _all(db: Database, model):
    async with db.read() as session:
        return (await session.scalars(select(model).order_by(model.id))).all()


async def _open_debrief(chat: Chat, feeling: str = "3") -> None:
    await chat.send("/rejected Acme - Data Analyst")
    assert "I'm sorry" in chat.text
    await chat.press("Technical")
    await chat.press(feeling)
    assert "six things" in chat.text


async def test_every_step_taken_now(chat: Chat, db: Database):
    await _open_debrief(chat)

    await chat.press("Ask for feedback")
    await chat.press("now")
    await chat.send("Sam Lee")
    assert "Hi Sam," in chat.text and "Sam Lee" not in chat.text
    assert "the Data Analyst role at Acme" in chat.text
    assert "more specific question" in chat.text  # the follow-up for a vague answer
    await chat.press("Yes, remind me")
    assert "7 days" in chat.text
    assert "✓ Ask for feedback" in [b.label for b in chat.buttons()]

    await chat.press("not be about you")
    await chat.press("now")
    await chat.send("I could have prepared the SQL part better")
    await chat.press("Another candidate")
    assert "not that you weren't good enough" in chat.text
    await chat.send("I explained my project clearly")
    assert 'Saved: "I explained my project clearly"' in chat.text

    await chat.press("Work on a skill")
    await chat.press("now")
    await chat.send("SQL window functions")
    assert "Added to your plan" in chat.text
    await chat.press("In a month")
    assert "Wed 1 Apr 2026" in chat.text

    await chat.press("better-fit roles")
    await chat.press("now")
    await chat.send("Globex")
    assert "Before you apply to Globex" in chat.text
    await chat.press("The role")
    await chat.press("Recent news")
    assert "✓ Recent news — 2 of 8" in chat.text
    await chat.press("Done for now")
    assert "2 of 8 checked" in chat.text

    await chat.press("Keep applying")
    await chat.press("now")
    await chat.send("Initech - Analyst")
    assert "Logged: Analyst at Initech." in chat.text
    await chat.press("3")
    assert "Weekly goal set: 3" in chat.text

    await chat.press("strengths")
    await chat.press("now")
    await chat.send("I stay calm under pressure")
    assert "Saved" in chat.text
    assert "6 taken, 0 skipped" in chat.text

    [rejection] = await _all(db, Rejection)
    assert rejection.company == "Acme" and rejection.stage == "technical"
    assert rejection.interviewer == "Sam Lee"
    assert rejection.takeaway == "I explained my project clearly"
    assert rejection.steps == {s: "done" for s in rejection.steps} and len(rejection.steps) == 6
    [request] = await _all(db, FeedbackRequest)
    assert (request.remind, request.status, request.rejection_id) == (True, "sent", rejection.id)
    assert [r.prompt_id for r in await _all(db, Reflection)] == [
        "reframe.control",
        "reframe.takeaway",
    ]
    [item] = await _all(db, SkillItem)
    assert (item.text, item.rejection_id, item.target_date) == (
        "SQL window functions",
        rejection.id,
        date(2026, 4, 1),
    )
    [target] = await _all(db, Target)
    assert target.checklist == {"role": True, "news": True}
    [application] = await _all(db, Application)
    assert (application.company, application.role) == ("Initech", "Analyst")
    [user] = await _all(db, User)
    assert user.weekly_goal == 3
    assert [s.text for s in await _all(db, Strength)] == ["I stay calm under pressure"]
    assert [m.score for m in await _all(db, MoodEntry)] == [3]


async def test_steps_saved_for_later_or_skipped_are_remembered(chat: Chat, db: Database):
    await _open_debrief(chat)
    for label, choice in [
        ("Ask for feedback", "Save for later"),
        ("not be about you", "Skip this one"),
        ("Work on a skill", "Save for later"),
        ("better-fit roles", "Skip this one"),
        ("Keep applying", "Save for later"),
    ]:
        await chat.press(label)
        await chat.press(choice)
    labels = [b.label for b in chat.buttons()]
    assert "Ask for feedback (saved for later)" in labels
    assert "It may not be about you (skipped)" in labels
    await chat.press("That's enough")
    assert "/rejected brings them back" in chat.text

    [rejection] = await _all(db, Rejection)
    assert rejection.steps == {
        "feedback": "later",
        "reframe": "skipped",
        "skills": "later",
        "targets": "skipped",
        "applying": "later",
    }

    await chat.send("/rejected")
    assert "saved for later from Data Analyst at Acme" in chat.text
    await chat.press("Carry on")
    assert "Welcome back" in chat.text
    await chat.press("strengths")
    await chat.press("Skip this one")
    assert "What next?" in chat.text  # three still saved for later: the menu stays
    await chat.press("That's enough")
    await chat.send("/rejected")
    await chat.press("Carry on")
    await chat.press("Ask for feedback")
    await chat.press("now")
    await chat.press("Skip")
    assert "Hello," in chat.text and "Sam" not in chat.text
    await chat.press("No thanks")
    [request] = await _all(db, FeedbackRequest)
    assert (request.remind, request.status) == (False, "drafted")
    labels = [b.label for b in chat.buttons()]
    assert "✓ Ask for feedback" in labels


async def test_a_new_rejection_can_be_told_instead_of_carrying_on(chat: Chat, db: Database):
    await _open_debrief(chat)
    await chat.press("Ask for feedback")
    await chat.press("Save for later")
    await chat.send("/rejected")
    await chat.press("A new rejection")
    assert "Which company" in chat.text
    await chat.send("Globex")
    await chat.press("Skip")
    await chat.press("Skip")
    await chat.press("Skip")
    assert "six things" in chat.text
    rejections = await _all(db, Rejection)
    assert [(r.company, r.role, r.feeling) for r in rejections] == [
        ("Acme", "Data Analyst", 3),
        ("Globex", None, None),
    ]


async def test_low_feeling_brings_up_strengths_once_a_day(chat: Chat, clock):
    await chat.send("/strengths add I learn fast")
    await _open_debrief(chat, feeling="1")
    assert "1. I learn fast" in chat.text
    await chat.press("That's enough")
    await _open_debrief(chat, feeling="2")
    assert "I learn fast" not in chat.text
    clock.advance(days=1)
    await chat.press("That's enough")
    await _open_debrief(chat, feeling="2")
    assert "1. I learn fast" in chat.text


async def test_free_text_rejection_starts_the_debrief_with_the_company(chat: Chat):
    await chat.send("I just got turned down by Initech")
    assert "I'm sorry" in chat.text
    assert "What was the role?" in chat.text


async def test_reframe_and_skills_can_be_left_half_way(chat: Chat, db: Database):
    await _open_debrief(chat)
    await chat.press("Work on a skill")
    await chat.press("now")
    await chat.press("Back to the list")
    await chat.press("not be about you")
    await chat.press("now")
    await chat.press("Skip")
    await chat.press("I honestly don't know")
    assert "asking for feedback is worth it" in chat.text
    await chat.press("Skip")
    assert "few days" in chat.text
    [rejection] = await _all(db, Rejection)
    assert rejection.steps == {"skills": "later", "reframe": "done"}
    assert rejection.takeaway is None


async def test_three_rejections_at_one_stage_suggest_a_focus(chat: Chat):
    for _ in range(3):
        await _open_debrief(chat)
        await chat.press("That's enough")
    await _open_debrief(chat)
    await chat.press("Work on a skill")
    await chat.press("now")
    assert "4 of your rejections came at the technical stage" in chat.text


async def test_company_role_and_stage_survive_leaving_the_opening(chat: Chat, db: Database):
    await chat.send("/rejected")
    await chat.send("Acme")
    await chat.send("Data Analyst")
    await chat.send("/help")  # leaves the debrief half way
    [rejection] = await _all(db, Rejection)
    assert (rejection.company, rejection.role, rejection.stage) == ("Acme", "Data Analyst", None)

    await chat.send("/rejected")
    assert "We didn't finish talking about Data Analyst at Acme" in chat.text
    await chat.press("Carry on")
    assert "How far did you get?" in chat.text
    await chat.press("Final round")
    await chat.press("4")
    assert "six things" in chat.text
    [rejection] = await _all(db, Rejection)
    assert (rejection.stage, rejection.feeling, rejection.steps) == ("final", 4, {})


async def test_rejected_with_arguments_writes_the_row_at_once(chat: Chat, db: Database):
    await chat.send("/rejected Globex - Designer")
    [rejection] = await _all(db, Rejection)
    assert (rejection.company, rejection.role) == ("Globex", "Designer")


async def test_a_step_left_half_way_is_offered_again(chat: Chat, db: Database):
    await _open_debrief(chat)
    await chat.press("That's enough")
    await chat.send("/rejected")
    assert "You still have steps to look at" in chat.text  # the six, not yet chosen
    await chat.press("A new rejection")
    assert "Which company" in chat.text
    await _open_debrief(chat)
    await chat.press("Work on a skill")
    await chat.press("now")
    await chat.send("/help")  # left in the middle of the step
    await chat.send("/rejected")
    assert "saved for later from Data Analyst at Acme" in chat.text
    await chat.press("Carry on")
    assert "Work on a skill (saved for later)" in [b.label for b in chat.buttons()]


async def test_typed_stage_is_understood_or_re_asked_with_a_hint(chat: Chat, db: Database):
    await chat.send("/rejected Acme - Analyst")
    await chat.send("SQL window functions")
    assert "couldn't match that to a stage" in chat.text
    assert "How far did you get?" in chat.text
    await chat.send("the technical interview")
    assert "how are you feeling" in chat.text
    await chat.send("²")
    assert "A number from 1" in chat.text
    await chat.send("9" * 5000)
    assert "A number from 1" in chat.text
    await chat.send("2")
    [rejection] = await _all(db, Rejection)
    assert (rejection.stage, rejection.feeling) == ("technical", 2)


async def test_a_role_only_rejection_asks_the_company_not_the_role_again(chat: Chat, db):
    await chat.send("/rejected - Data Analyst")
    assert "Which company" in chat.text
    await chat.press("Skip")
    assert "How far did you get?" in chat.text
    [rejection] = await _all(db, Rejection)
    assert (rejection.company, rejection.role) == (None, "Data Analyst")


async def test_fit_checklist_with_nothing_ticked_stays_for_later(chat: Chat, db: Database):
    await _open_debrief(chat)
    await chat.press("better-fit roles")
    await chat.press("now")
    await chat.send("Globex")
    await chat.press("Done for now")
    assert "Find better-fit roles (saved for later)" in [b.label for b in chat.buttons()]


async def test_strengths_back_stays_for_later_and_an_empty_list_reads_well(
    chat: Chat, db: Database
):
    await _open_debrief(chat)
    await chat.press("strengths")
    await chat.press("now")
    assert "You haven't listed any strengths yet" in chat.text
    assert "one more" not in chat.text and "Shall we find some?" not in chat.text
    await chat.press("Back to the list")
    assert "Look at my strengths (saved for later)" in [b.label for b in chat.buttons()]
    [rejection] = await _all(db, Rejection)
    assert rejection.steps["strengths"] == "later"


async def test_a_typed_outside_factor_is_kept_as_a_reflection(chat: Chat, db: Database):
    await _open_debrief(chat)
    await chat.press("not be about you")
    await chat.press("now")
    await chat.press("Skip")
    await chat.send("they wanted someone with more years")
    assert "Last one" in chat.text
    [reflection] = await _all(db, Reflection)
    assert (reflection.prompt_id, reflection.text) == (
        "reframe.outside",
        "they wanted someone with more years",
    )


async def test_a_past_skill_date_is_explained_in_the_debrief(chat: Chat):
    await _open_debrief(chat)
    await chat.press("Work on a skill")
    await chat.press("now")
    await chat.send("SQL")
    await chat.send("2025-12-31")
    assert "has already passed" in chat.text


async def test_keep_applying_takes_a_sentence(chat: Chat, db: Database):
    await _open_debrief(chat)
    await chat.press("Keep applying")
    await chat.press("now")
    await chat.send("I applied for a job at Goal Inc")
    [application] = await _all(db, Application)
    assert (application.company, application.role) == ("Goal Inc", None)


async def test_rejected_brings_back_the_steps_after_leaving_the_menu(chat: Chat):
    for line in ["/rejected Acme - Analyst", "1", "3", "7"]:
        await chat.send(line)
    assert "/rejected brings them back" in chat.text or "/rejected has the rest" in chat.text
    await chat.send("/rejected")
    assert "second no" not in chat.text and "Which company" not in chat.text
    assert "You still have steps to look at from Analyst at Acme" in chat.text
    await chat.press("Carry on")
    assert "here are six things" in chat.text
    await chat.send("/rejected")
    await chat.press("A new rejection")
    assert "Which company" in chat.text


async def test_free_text_stores_no_fragment_as_a_company(chat: Chat, db: Database):
    said = {
        "they ghosted me after the onsite": (None, "final"),
        "the hiring manager passed on me": (None, None),
        "got rejected by Stripe again": ("Stripe", None),
        "didn't make it past the phone screen at Shopify": ("Shopify", "screening"),
        "I didn't make it past the final interview at Monzo": ("Monzo", "final"),
    }
    for text in said:
        await chat.send("/cancel")
        await chat.send(text)
        assert "I'm sorry" in chat.text
    async with db.read() as session:
        rows = (await session.scalars(select(Rejection).order_by(Rejection.id))).all()
    # a rejection that names nothing is saved only from its first answer
    assert [(r.company, r.stage) for r in rows] == [v for v in said.values() if any(v)]
