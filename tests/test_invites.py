"""Friends add strengths: /invite, /vouch CODE, the person's Keep it / Not now, limits,
withdrawal, blocking, export and delete. The real engine and a real SQLite file; the
person's deliveries go through the real dispatcher to a recording outlet."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import func, select

from core import content
from core.delivery import Dispatcher
from core.engine import Engine
from core.invites import CODE_LENGTH, INVITE_USES, MAX_INVITES_PER_DAY, MAX_OPEN_INVITES
from core.messages import Reply
from storage.database import Database
from storage.models import Contribution, Invite, Strength
from storage.repositories import users
from tests.conftest import FakeClock
from tests.harness import Chat

CRISIS_OPENING = content.text("crisis.opening")


class RecordingOutlet:
    """Stands in for a platform: keeps what the dispatcher sends, per person."""

    platform = "terminal"

    def __init__(self) -> None:
        self.sent: list[tuple[str, Reply]] = []

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        self.sent += [(user_id, reply) for reply in replies]


async def deliver(db: Database, clock: FakeClock) -> list[tuple[str, Reply]]:
    outlet = RecordingOutlet()
    await Dispatcher(db, [outlet], clock=clock).run_pass()
    return outlet.sent


async def invite_code(chat: Chat, command: str = "/invite") -> str:
    await chat.send(command)
    share = next(r for r in chat.last if "/vouch" in r.text)
    code = share.text.rsplit("/vouch ", 1)[1].strip()
    assert len(code) == CODE_LENGTH
    return code


async def named(chat: Chat, name: str) -> None:
    await chat.send("/start")
    await chat.send(name)
    await chat.send("/cancel")


async def vouch(friend: Chat, code: str, *strengths: str, note: str = "", signed: str = "") -> None:
    await friend.send(f"/vouch {code}")
    for index, strength in enumerate(strengths):
        if index:
            await friend.press("Add another")
        await friend.send(strength)
    await friend.press("That's all")
    if note:
        await friend.send(note)
    else:
        await friend.press("Skip")
    if signed:
        await friend.send(signed)
    else:
        await friend.press("Stay unnamed")


async def test_two_friends_write_and_the_person_keeps_one_and_declines_one(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    await named(chat, "Alice")
    code = await invite_code(chat)
    sister, housemate = new_chat("sister"), new_chat("housemate")

    await sister.send(f"/vouch {code}")
    intro = sister.last[0].text
    assert "Alice asked" in intro and len(intro.splitlines()) == 2
    assert "Alice is good at" in sister.last[1].text
    await sister.send("Calm under pressure")
    await sister.press("That's all")
    await sister.send("Proud of you, always")
    await sister.send("your sister")
    assert "Sent" in sister.text
    await vouch(housemate, code, "Makes a great curry")

    sent = await deliver(db, clock)
    assert [who for who, _ in sent] == ["alice", "alice"]
    first, second = (reply for _, reply in sent)
    assert first.text.startswith("Someone who knows you (your sister) wrote:")
    assert "Calm under pressure" in first.text and "Proud of you, always" in first.text
    assert second.text.startswith("Someone who knows you wrote:")
    assert [b.label for b in first.buttons][:2] == ["Keep it", "Not now"]

    await chat.press_button(first.buttons[0])
    assert "Kept" in chat.text
    await chat.press_button(second.buttons[1])
    assert "it waits for you" in chat.text
    await chat.send("/strengths")
    assert "Calm under pressure (from your sister)" in chat.text
    assert "curry" not in chat.text
    assert await deliver(db, clock) == []  # each contribution is delivered once

    async with db.read() as session:
        assert await users.find(session, "terminal", "sister") is None  # no record made
        invite = await session.scalar(select(Invite))
        assert invite is not None and invite.uses == 2


async def test_a_friend_writes_several_strengths_in_one_visit(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    await vouch(new_chat("bob"), code, "Patient", "Funny", "Honest")
    sent = await deliver(db, clock)
    assert ["Patient" in r.text for _, r in sent] == [True, False, False]
    assert len(sent) == 3
    await chat.send("/invite")  # waiting ones are shown again, with their buttons
    waiting = [r for r in chat.last if r.buttons]
    assert len(waiting) == 3


async def test_a_kept_strength_can_show_in_the_low_mood_moment(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    await vouch(new_chat("bob"), code, "Never gives up", signed="Bob from work")
    ((_, delivered),) = await deliver(db, clock)
    await chat.press_button(delivered.buttons[0])
    await chat.send("/mood 1")
    assert "Never gives up (from Bob from work)" in chat.text


async def test_a_forged_code_an_expired_a_used_up_and_a_withdrawn_invite(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    friend = new_chat("friend")
    await friend.send("/vouch ABCDEFGH")
    assert "doesn't match any invite" in friend.text
    await friend.send("/vouch not-a-code at all")
    assert "doesn't match any invite" in friend.text

    expiring = await invite_code(chat)
    clock.advance(days=15)
    await friend.send(f"/vouch {expiring}")
    assert "expired" in friend.text

    used = await invite_code(chat)
    for number in range(INVITE_USES):
        await vouch(new_chat(f"f{number}"), used, f"Strength {number}")
    await friend.send(f"/vouch {used}")
    assert "used as many times" in friend.text

    withdrawn = await invite_code(chat, "/invite new")
    await chat.send("/invite list")
    assert withdrawn in chat.text
    await chat.press("Withdraw 1")
    assert "Withdrawn" in chat.text and withdrawn in chat.text
    await friend.send(f"/vouch {withdrawn}")
    assert "no longer open" in friend.text

    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(Contribution))
    assert total == INVITE_USES


async def test_withdrawing_mid_visit_sends_nothing(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    await friend.send("Kind to everyone")
    await chat.send("/invite withdraw 1")
    await friend.press("That's all")
    await friend.press("Skip")
    await friend.press("Stay unnamed")
    assert "no longer open" in friend.text
    assert await deliver(db, clock) == []


async def test_a_friends_crisis_message_gets_the_crisis_reply_and_is_never_delivered(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    await friend.send("Honestly I want to kill myself")
    assert CRISIS_OPENING in friend.text
    await friend.send("Good listener")  # the dialog ended: this is not sent on
    assert await deliver(db, clock) == []
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Contribution)) == 0


async def test_hostile_words_are_never_passed_on(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    friend = new_chat("troll")
    await friend.send(f"/vouch {code}")
    await friend.send("You're a loser and nobody will hire you")
    assert "won't send that one" in friend.text
    await friend.send("x" * 301)
    assert "up to 300" in friend.text
    await friend.send("Doesn't give up easily")
    await friend.press("That's all")
    await friend.send("Honestly you are pathetic")
    assert "won't send that one" in friend.text
    await friend.press("Skip")
    await friend.press("Stay unnamed")
    sent = await deliver(db, clock)
    assert [r.text.count("Doesn't give up easily") for _, r in sent] == [1]
    assert not any("loser" in r.text or "pathetic" in r.text for _, r in sent)


async def test_blocking_an_invite_stops_what_comes_through_it(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    await vouch(new_chat("one"), code, "Brave")
    await vouch(new_chat("two"), code, "Thoughtful")
    sent = await deliver(db, clock)
    await chat.press_button(sent[0][1].buttons[2])
    assert "nothing more will come" in chat.text
    await chat.press_button(sent[1][1].buttons[0])  # its sibling was set aside too
    assert "already answered" in chat.text
    later = new_chat("three")
    await later.send(f"/vouch {code}")
    assert "no longer open" in later.text
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 0


async def test_someone_elses_keep_button_does_nothing(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    code = await invite_code(chat)
    await vouch(new_chat("friend"), code, "Generous")
    ((_, delivered),) = await deliver(db, clock)
    mallory = new_chat("mallory")
    await mallory.press_button(delivered.buttons[0])
    assert "couldn't find" in mallory.text
    await mallory.send("/invite keep 99999999999999999999")
    assert "couldn't find" in mallory.text
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 0


async def test_invites_are_limited(chat: Chat, clock: FakeClock):
    for _ in range(MAX_OPEN_INVITES):
        await chat.send("/invite new")
    await chat.send("/invite new")
    assert "most at once" in chat.text
    await chat.send("/invite")  # shows the newest open one instead of making another
    assert "open invite again" in chat.text
    for _ in range(MAX_INVITES_PER_DAY - MAX_OPEN_INVITES):
        await chat.send("/invite withdraw 1")
        await chat.send("/invite new")
    await chat.send("/invite withdraw 1")
    await chat.send("/invite new")
    assert "in the last day" in chat.text
    clock.advance(days=1, minutes=1)
    await chat.send("/invite new")
    assert "Here's your invite" in chat.text


async def test_own_invite_and_a_group_chat_are_refused(chat: Chat, new_chat):
    code = await invite_code(chat)
    await chat.send(f"/vouch {code}")
    assert "your own invite" in chat.text
    group = new_chat("bob", private=False)
    await group.send("/invite")
    assert "/vouch" not in group.text


async def test_ask_a_friend_in_strengths_gives_an_invite(chat: Chat):
    await chat.send("/strengths add Patient")
    await chat.send("/strengths")
    await chat.press("Ask a friend")
    assert "/vouch " in chat.text


async def test_export_includes_invites_and_contributions_and_delete_removes_them(
    chat: Chat, new_chat, db: Database, clock: FakeClock, engine: Engine
):
    code = await invite_code(chat)
    await vouch(new_chat("friend"), code, "Steady", note="Go get them", signed="Sam")
    await chat.send("/export")
    document = json.loads(chat.last[0].attachment.data.decode("utf-8"))  # type: ignore[union-attr]
    tables = document["tables"]
    assert [i["code"] for i in tables["invites"]] == [code]
    (row,) = tables["contributions"]
    assert (row["text"], row["note"], row["signed"]) == ("Steady", "Go get them", "Sam")

    await chat.send("/delete")
    await chat.press("Yes, delete")
    async with db.read() as session:
        for table in (Invite, Contribution):
            assert await session.scalar(select(func.count()).select_from(table)) == 0
    assert await deliver(db, clock) == []
    friend = new_chat("late")
    await friend.send(f"/vouch {code}")
    assert "doesn't match any invite" in friend.text


async def test_privacy_says_what_a_friend_sees_and_what_is_kept(chat: Chat):
    await chat.send("/privacy")
    assert "friend" in chat.text.lower()
    assert "how they sign" in chat.text


async def test_keeping_what_is_already_on_the_list_adds_nothing(
    chat: Chat, new_chat, db: Database, clock: FakeClock
):
    await chat.send("/strengths add Patient")
    code = await invite_code(chat)
    await vouch(new_chat("friend"), code, "patient")
    ((_, delivered),) = await deliver(db, clock)
    await chat.press_button(delivered.buttons[0])
    assert "already on your list" in chat.text
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Strength)) == 1


async def test_the_number_of_friends_per_invite_is_a_setting(db: Database, clock: FakeClock):
    from core.dialog import EngineSettings
    from core.dialogs import all_dialogs

    engine = Engine(db, all_dialogs(), clock=clock, settings=EngineSettings(invite_uses=2))
    person = Chat(engine, user="alice")
    await person.send("/invite")
    assert "Up to 2 of them" in person.text
    code = await invite_code(person)
    await vouch(Chat(engine, user="one"), code, "Kind")
    await vouch(Chat(engine, user="two"), code, "Brave")
    third = Chat(engine, user="three")
    await third.send(f"/vouch {code}")
    assert "used as many times" in third.text


async def test_a_person_without_a_name_is_your_friend_to_the_friend(chat: Chat, new_chat):
    code = await invite_code(chat)
    friend = new_chat("friend")
    await friend.send(f"/vouch {code}")
    assert friend.last[0].text.startswith("Your friend asked Rebound")
    assert "goes only to your friend" in friend.last[0].text
    assert "alice" not in friend.text
