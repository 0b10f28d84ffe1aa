"""A tester's findings on friends adding strengths (/invite, /vouch, Keep it / Not now)
and /link, each pinned by a test: the real engine on a real SQLite file, the terminal
chat in process with its own delivery job."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot.terminal.adapter import TerminalChat
from bot.terminal.deliveries import TerminalDeliveries
from core import content
from core.engine import Engine
from core.messages import Reply
from core.outbox import DeliverySettings
from storage.database import Database
from storage.models import ConversationState, Delivery, Invite
from tests.conftest import FakeClock
from tests.harness import Chat
from tests.test_cli import messages
from tests.test_invites import deliver, invite_code, named, vouch


def _job(db: Database, clock: FakeClock, user: str = "alice") -> TerminalDeliveries:
    return TerminalDeliveries(db, user, settings=DeliverySettings(), interval=60, clock=clock)


async def test_the_catch_up_shows_a_friends_words_with_their_buttons_and_1_keeps_it(
    chat: Chat, new_chat, engine: Engine, db: Database, clock: FakeClock
):
    await named(chat, "Alice")
    code = await invite_code(chat)
    await chat.send("/invite list")  # an earlier session's dialog: [1] Withdraw 1
    assert chat.buttons()[0].label == "Withdraw 1"
    await vouch(new_chat("bob"), code, "Steady in a crisis")
    assert len(await deliver(db, clock)) == 1  # `dispatch` printed it; the chat was closed

    out = io.StringIO()
    terminal = TerminalChat(engine, "alice", stdout=out)
    await _job(db, clock).show_missed(terminal)
    shown = messages(out.getvalue())
    assert shown[0][0] == content.text("terminal.while_away_one")
    assert shown[1][0].startswith("Someone who knows you wrote:")
    assert shown[1][1][:2] == ["Keep it", "Not now"]

    await terminal.handle_line("1")
    assert "Kept." in out.getvalue()
    assert "Withdrawn" not in out.getvalue()
    async with db.read() as session:
        invite = await session.scalar(select(Invite))
    assert invite is not None and invite.withdrawn_at is None


async def test_a_friends_words_shown_in_the_open_chat_are_not_shown_again_at_the_next_start(
    chat: Chat, new_chat, engine: Engine, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    await vouch(new_chat("bob"), code, "Patient with beginners")
    out = io.StringIO()
    job = _job(db, clock)
    await job.start(TerminalChat(engine, "alice", stdout=out, deliveries=job))  # one pass now
    await job.stop()
    assert "Patient with beginners" in out.getvalue()
    async with db.read() as session:
        (row,) = (await session.scalars(select(Delivery))).all()
    assert row.status == "sent" and row.shown_at is not None

    again = io.StringIO()
    await _job(db, clock).show_missed(TerminalChat(engine, "alice", stdout=again))
    assert again.getvalue() == ""


async def test_a_friends_crisis_message_ends_the_visit_with_no_offer_to_pick_it_up(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    await friend.send("Calm under pressure")
    await friend.press("Add another")
    await friend.send("Honestly I want to kill myself")
    assert content.text("crisis.opening") in friend.text
    for later in ("hi", "thanks"):
        await friend.send(later)
        assert content.text("engine.resume_later") not in friend.text
        assert not any(b.label == content.text("engine.resume_button") for b in friend.buttons())
    async with db.read() as session:
        assert (await session.scalars(select(ConversationState))).all() == []
    assert await deliver(db, clock) == []


async def test_cancel_in_the_vouch_dialog_says_goodbye_without_the_user_menu(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    await friend.send("Good listener")
    await friend.send("/cancel")
    assert friend.last == [Reply(content.text("friends.cancelled"))]
    assert await deliver(db, clock) == []


@pytest.mark.parametrize(
    "finish", ["done", "thats all", "that's it", "No.", "nope", "nothing else"]
)
async def test_a_finishing_word_at_anything_else_finishes_and_is_not_sent(
    chat: Chat, new_chat, db: Database, clock: FakeClock, finish: str
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    await friend.send("Calm under pressure")
    await friend.send(finish)
    assert content.text("friends.ask_note", name="your friend") in friend.text
    await friend.press("Skip")
    await friend.press("Stay unnamed")
    ((_, sent),) = await deliver(db, clock)
    assert "Calm under pressure" in sent.text and finish not in sent.text


@pytest.mark.parametrize("chatter", ["hi", "Thanks!", "hello"])
async def test_a_greeting_or_thanks_is_not_a_strength(
    chat: Chat, new_chat, db: Database, clock: FakeClock, chatter: str
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    await friend.send(chatter)  # at the first question
    assert "leave that one out" in friend.text
    await friend.send("Calm under pressure")
    await friend.send(chatter)  # at "Anything else?"
    assert "leave that one out" in friend.text
    await friend.press("That's all")
    await friend.press("Skip")
    await friend.press("Stay unnamed")
    ((_, sent),) = await deliver(db, clock)
    assert chatter not in sent.text


async def test_after_the_fifth_strength_the_friend_is_told_five_is_the_most(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    for number in range(1, 6):
        if number > 1:
            await friend.press("Add another")
        await friend.send(f"Strength number {number}")
    said = friend.text
    assert content.text("friends.enough", count=5) in said
    assert content.text("friends.ask_note", name="your friend") in said


async def test_not_now_leaves_a_friends_words_waiting_in_invite(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    await vouch(new_chat("bob"), code, "Kind to new starters")
    ((_, sent),) = await deliver(db, clock)
    await chat.press_button(sent.buttons[1])  # Not now
    assert chat.text == content.text("friends.declined")
    assert "/invite" in chat.text
    await chat.send("/invite")
    waiting = [r for r in chat.last if "Kind to new starters" in r.text]
    assert len(waiting) == 1 and waiting[0].buttons[0].label == "Keep it"
    await chat.press_button(waiting[0].buttons[0])
    assert "Kept." in chat.text


async def test_privacy_says_friends_words_are_kept_until_delete(chat: Chat):
    await chat.send("/privacy")
    assert "set it aside" not in chat.text
    assert "until you /delete it" in chat.text


async def test_sent_starts_with_a_capital_when_the_person_has_no_name(
    chat: Chat, new_chat, db: Database
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await vouch(friend, code, "Good listener")
    assert friend.text.startswith("Sent. Your friend will see")


async def test_strengths_with_a_friends_line_get_a_heading_that_fits(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    await chat.send("/strengths add Patient")
    await chat.send("/strengths")
    assert chat.text.startswith(content.text("strengths.heading"))
    code = await invite_code(chat)
    await vouch(new_chat("bob"), code, "Funny in a crisis")
    ((_, sent),) = await deliver(db, clock)
    await chat.press_button(sent.buttons[0])
    await chat.send("/strengths")
    assert chat.text.startswith(content.text("strengths.heading_with_friends"))
    assert "own words" not in chat.text


async def test_the_catch_up_counts_its_messages_in_plain_words(
    chat: Chat, new_chat, engine: Engine, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    await vouch(new_chat("bob"), code, "Patient", "Funny")
    assert len(await deliver(db, clock)) == 2
    out = io.StringIO()
    await _job(db, clock).show_missed(TerminalChat(engine, "alice", stdout=out))
    first = out.getvalue().splitlines()[0]
    assert "(s)" not in first and "2 scheduled messages" in first
