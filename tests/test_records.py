"""Edit, remove and undo for every kind of record (core/dialogs/records.py), through
the chat on a real database."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Application, MoodEntry, Rejection, SkillItem, Strength, Target
from tests.harness import Chat


async def _rows(db, model):
    async with db.read() as session:
        return (await session.scalars(select(model).order_by(model.id))).all()


def _undo(chat: Chat):
    """The Undo button among the latest replies (a question may follow it)."""
    return next(b for r in chat.last for b in r.buttons if b.label == "Undo")


async def _log_one_of_each(chat: Chat) -> None:
    await chat.send("/applied Hooli - Backend")
    await chat.press("No goal")
    await chat.send("/rejected Acme - Analyst")
    await chat.press("Final round")
    await chat.press("3")
    await chat.send("/cancel")
    await chat.send("/mood 2")
    await chat.send("/skills add SQL window functions")
    await chat.press("No date")
    await chat.send("/targets add Globex")
    await chat.send("/cancel")
    await chat.send("/strengths add Mentoring juniors")


async def test_undo_removes_each_record_just_logged(chat: Chat, db):
    for command, model in (
        ("/applied Hooli - Backend", Application),
        ("/mood 4", MoodEntry),
        ("/skills add Kubernetes basics", SkillItem),
        ("/targets add Globex", Target),
        ("/strengths add Calm under pressure", Strength),
    ):
        await chat.send(command)
        assert len(await _rows(db, model)) == 1, command
        await chat.press_button(_undo(chat))
        assert "Undone" in chat.text, command
        assert await _rows(db, model) == [], command
    await chat.send("/rejected Acme - Analyst")
    await chat.press("Final round")
    await chat.press("4")
    await chat.press_button(_undo(chat))
    assert "Undone" in chat.text
    assert await _rows(db, Rejection) == []


async def test_undo_expires_after_a_few_minutes(chat: Chat, db, clock):
    await chat.send("/mood 3")
    undo = _undo(chat)
    clock.advance(minutes=11)
    await chat.press_button(undo)
    assert "Undo has expired" in chat.text and "/mood remove" in chat.text
    assert len(await _rows(db, MoodEntry)) == 1


async def test_undo_of_someone_elses_record_does_nothing(chat: Chat, new_chat, db):
    await chat.send("/strengths add Mine")
    [strength] = await _rows(db, Strength)
    bob = new_chat("bob")
    await bob.send(f"/undo strength {strength.id}")
    assert "already gone" in bob.text
    assert len(await _rows(db, Strength)) == 1


async def test_remove_by_number_and_by_text_for_every_kind(chat: Chat, db):
    await _log_one_of_each(chat)
    for command, model in (
        ("/applied remove 1", Application),
        ("/rejected remove Acme", Rejection),
        ("/mood remove 1", MoodEntry),
        ("/skills remove SQL window functions", SkillItem),
        ("/targets remove globex", Target),
        ("/strengths remove Mentoring juniors", Strength),
    ):
        before = len(await _rows(db, model))  # the debrief's feeling is a mood entry too
        await chat.send(command)
        assert "Remove" in chat.text and "?" in chat.text, command
        assert len(await _rows(db, model)) == before, command
        await chat.send("yes")
        assert "Removed" in chat.text, command
        assert len(await _rows(db, model)) == before - 1, command


async def test_remove_from_a_list_of_buttons_and_no_keeps_it(chat: Chat, db):
    await chat.send("/applied Hooli - Backend")
    await chat.press("No goal")
    await chat.send("/applied Initech - Analyst")
    await chat.send("/applied remove")
    assert "Which one should go?" in chat.text
    labels = [b.label for b in chat.last[-1].buttons]
    assert labels[0].startswith("1. Analyst at Initech") and labels[1].startswith("2. Backend")
    await chat.press("Backend at Hooli")
    await chat.send("nope")
    assert "Kept it" in chat.text
    assert len(await _rows(db, Application)) == 2
    await chat.send("/applied remove 2")
    await chat.press("Yes, remove it")
    assert [a.company for a in await _rows(db, Application)] == ["Initech"]


async def test_edit_every_kind(chat: Chat, db):
    await _log_one_of_each(chat)
    await chat.send("/applied edit")
    await chat.press("Backend at Hooli")
    await chat.press("Company")
    await chat.send("Hooli XYZ")
    assert "Saved: Backend at Hooli XYZ" in chat.text
    await chat.send("/applied edit 1")
    await chat.press("Date applied")
    await chat.send("last Friday")  # the clock's Monday 2 March 2026
    await chat.send("/applied edit 1")
    await chat.press("Status")
    await chat.press("interviewing")
    [application] = await _rows(db, Application)
    assert (application.company, str(application.applied_on), application.status) == (
        "Hooli XYZ",
        "2026-02-27",
        "interview",
    )

    await chat.send("/rejected edit 1")
    await chat.press("Stage")
    await chat.press("Technical")
    await chat.send("/rejected edit Acme")
    await chat.press("Role")
    await chat.send("Data Analyst")
    [rejection] = await _rows(db, Rejection)
    assert (rejection.stage, rejection.role) == ("technical", "Data Analyst")

    await chat.send("/mood edit 1")
    await chat.send("four")  # without note consent the score is the only field
    assert "Saved: 4/5" in chat.text
    await chat.send("/skills edit 1")
    await chat.press("Target date")
    assert "2026" in chat.text  # the example date is a future one
    await chat.send("by christmas")
    await chat.send("/targets edit 1")
    await chat.send("Globex Corporation")
    await chat.send("/strengths edit Mentoring")
    await chat.send("Mentoring new engineers")
    mood = (await _rows(db, MoodEntry))[-1]  # the newest (the debrief's feeling is older)
    [skill] = await _rows(db, SkillItem)
    [target] = await _rows(db, Target)
    [strength] = await _rows(db, Strength)
    assert mood.score == 4
    assert str(skill.target_date) == "2026-12-25"
    assert target.company == "Globex Corporation"
    assert strength.text == "Mentoring new engineers"


async def test_bad_values_are_asked_again_and_change_nothing(chat: Chat, db):
    await chat.send("/mood 3")
    await chat.send("/mood edit 1")
    await chat.send("seven")
    assert "1 to 5" in chat.text
    await chat.send("/applied Acme")
    await chat.press("No goal")
    await chat.send("/applied edit 1")
    await chat.press("Date applied")
    await chat.send("next year")
    assert "up to today" in chat.text
    await chat.send("/applied remove 9")
    assert "couldn't find" in chat.text
    await chat.send("/edit nonsense")
    assert "/applied edit" in chat.text
    assert [m.score for m in await _rows(db, MoodEntry)] == [3]
    assert [str(a.applied_on) for a in await _rows(db, Application)] == ["2026-03-02"]


async def test_nothing_to_edit_says_how_to_add(chat: Chat):
    await chat.send("/targets edit")
    assert "/targets adds the first one" in chat.text
