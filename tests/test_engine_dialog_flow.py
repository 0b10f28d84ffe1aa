"""How the engine treats an open dialog: words it cannot place, /help and /sos in the
middle, an old forgotten dialog, and personal dialogs in a group chat."""

from __future__ import annotations

from sqlalchemy import func, select

from core import content
from storage.models import MoodEntry, Rejection, Strength
from tests.harness import Chat


async def _count(db, model) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_unplaceable_words_keep_the_dialog_and_show_its_question(chat: Chat, db):
    await chat.send("/delete")
    await chat.send("blorp")
    assert chat.last[0].text == content.text("engine.pick_a_button")
    assert "Delete everything?" in chat.text
    await chat.press("No, keep it")
    assert chat.text == content.text("privacy.delete_kept")


async def test_thanks_in_a_dialog_is_answered_and_the_dialog_stays(chat: Chat):
    await chat.send("/mood")
    await chat.send("thanks")
    assert chat.last[0].text == content.text("engine.thanks_stay")
    await chat.press("4")
    assert "few words" in chat.text


async def test_a_new_topic_leaves_the_dialog(chat: Chat):
    await chat.send("/mood")
    await chat.send("I got turned down by Acme")
    assert "What was the role" in chat.text


async def test_help_in_the_middle_of_a_dialog_comes_back_to_it(chat: Chat):
    await chat.send("/rejected Acme - Analyst")
    await chat.send("/help")
    assert "/strengths" in chat.text
    assert content.text("engine.back_to_dialog") in chat.text
    assert "How far did you get?" in chat.text
    await chat.press("Final round")
    assert "how are you feeling" in chat.text.lower()


async def test_sos_in_the_middle_of_a_dialog_keeps_it_for_later(chat: Chat):
    await chat.send("/start")
    await chat.send("/sos")
    assert "emergency" in chat.text
    assert content.text("engine.back_to_dialog") not in chat.text  # not carried back
    assert content.text("engine.resume_later") in chat.text
    await chat.press("Pick up where we left off")
    await chat.send("Robin")
    assert "time zone" in chat.text


async def test_a_dialog_left_open_for_a_day_is_forgotten(chat: Chat, clock):
    await chat.send("/start")
    clock.advance(hours=25)
    await chat.send("hello")
    assert "All set" not in chat.text and "time zone" not in chat.text
    assert chat.last[0].text.startswith("Hi")


async def test_personal_commands_in_a_group_change_nothing(chat: Chat, new_chat, db):
    await chat.send("/strengths add Keeps going")
    group = new_chat("alice", private=False)
    for command in ("/strengths remove 1", "/mood 1", "/applied Initech - Dev", "/strengths"):
        await group.send(command)
        assert group.text == content.text("engine.private_only"), command
    assert await _count(db, Strength) == 1
    assert await _count(db, MoodEntry) == 0


async def test_help_and_crisis_lines_still_answer_in_a_group(new_chat):
    group = new_chat("carol", private=False)
    await group.send("/help")
    assert "/strengths" in group.text
    await group.send("I want to die")
    assert "emergency" in group.text


async def test_an_ephemeral_platform_may_run_personal_dialogs_in_a_server(new_chat):
    server = new_chat("dave", private=False, ephemeral=True)
    await server.send("/strengths add Steady")
    assert "Saved" in server.text


async def test_a_typed_number_picks_that_button_of_the_open_question(chat: Chat, db):
    await chat.send("/rejected Acme - Analyst")  # the stage question: Application is button 1
    await chat.send("4")
    assert "how are you feeling" in chat.text.lower()
    await chat.send("2")  # the feeling scale: button 2 is "2"
    async with db.read() as session:
        assert await session.scalar(select(MoodEntry.score)) == 2


async def test_a_set_aside_dialog_is_picked_up_by_answering_its_question(chat: Chat):
    """After /sos the open question's own buttons and words still work: the person picks
    the dialog up themselves (nothing tells them "that button is from before")."""
    await chat.send("/rejected Acme - Analyst")
    await chat.send("/sos")
    await chat.send("Final round")  # the label of a button of the question set aside
    assert content.text("engine.welcome_back") in chat.text
    assert "how are you feeling" in chat.text.lower()
    assert content.text("engine.stale_button") not in chat.text


async def test_a_typed_1_picks_up_a_set_aside_dialog(chat: Chat):
    """In a terminal chat that restarted, "1" is what the person saw next to "Pick up
    where we left off"."""
    await chat.send("/start")
    await chat.send("/sos")
    await chat.send("1")
    assert content.text("engine.welcome_back") in chat.text
    await chat.send("Robin")
    assert "time zone" in chat.text


async def test_more_words_about_a_set_aside_debrief_pick_it_up_not_a_second_one(chat: Chat, db):
    """Newcomer tryout: after /sos, "I was so close, final round" started a second
    debrief and stored the same rejection twice."""
    await chat.send("they picked someone else at Globex")
    await chat.send("Senior data analyst")
    await chat.send("/sos")
    await chat.send("I was so close, final round")
    assert content.text("engine.welcome_back") in chat.text
    assert "second no" not in chat.text.lower()
    async with db.read() as session:
        rows = (await session.execute(select(Rejection.company, Rejection.stage))).all()
    assert [(company, stage) for company, stage in rows] == [("Globex", "final")]
