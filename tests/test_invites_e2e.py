"""End to end, friends add strengths: the real engine on a real SQLite file, the real
python-telegram-bot and discord.py stacks against the fake servers on 127.0.0.1, and the
real dispatcher delivering a friend's words to the person with Keep it / Not now."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.discord.adapter import DiscordAdapter
from bot.settings import Settings
from bot.telegram import TelegramAdapter
from core.delivery import Dispatcher
from core.engine import Engine
from storage.database import Database
from tests.conftest import FakeClock
from tests.fake_discord import FakeDiscord, Sent, user_payload
from tests.fake_telegram import BOT_USER, Call, FakeTelegram
from tests.test_telegram_adapter import TOKEN, settings_for

WAIT_SECONDS = 5.0
PERSON, SISTER, HOUSEMATE = 5001, 5002, 5003


# -- Telegram ---------------------------------------------------------------------------


@pytest.fixture
async def telegram_fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
async def telegram(telegram_fake: FakeTelegram, engine: Engine) -> AsyncIterator[TelegramAdapter]:
    adapter = TelegramAdapter(settings=settings_for(telegram_fake), engine=engine, poll_timeout=2)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()


def to_chat(fake: FakeTelegram, chat_id: int) -> list[Call]:
    return [c for c in fake.calls_to("sendMessage") if c.params["chat_id"] == str(chat_id)]


def said(fake: FakeTelegram, chat_id: int, words: str) -> bool:
    return any(words in c.params["text"] for c in to_chat(fake, chat_id))


async def until(fake: FakeTelegram, condition: Callable[[], Any]) -> Any:
    """Wait until ``condition()`` holds after some call to the fake; return its value."""
    changed = fake._changed  # the fake's own condition, notified on every recorded call
    async with asyncio.timeout(WAIT_SECONDS), changed:
        while not (value := condition()):
            await changed.wait()
    return value


async def tg_say(fake: FakeTelegram, user: int, text: str, expect: str) -> list[Call]:
    """``user`` writes ``text``; returns the bot's new messages once one holds ``expect``."""
    seen = len(to_chat(fake, user))
    await fake.send_text(text, user_id=user)
    await until(fake, lambda: any(expect in c.params["text"] for c in to_chat(fake, user)[seen:]))
    return to_chat(fake, user)[seen:]


async def tg_press(fake: FakeTelegram, user: int, label: str, expect: str) -> list[Call]:
    """``user`` presses the button labelled ``label`` on the latest message that has one."""
    with_keys = [c for c in to_chat(fake, user) if c.params.get("reply_markup")]
    message = with_keys[-1]
    keys = [k for row in message.params["reply_markup"]["inline_keyboard"] for k in row]
    (key,) = [k for k in keys if k["text"] == label]
    seen = len(to_chat(fake, user))
    await fake.press(fake.message(message), key["callback_data"], user_id=user)
    await until(fake, lambda: any(expect in c.params["text"] for c in to_chat(fake, user)[seen:]))
    return to_chat(fake, user)[seen:]


async def tg_vouch(fake: FakeTelegram, friend: int, code: str, strength: str, signed: str) -> None:
    await tg_say(fake, friend, f"/vouch {code}", "is good at")
    await tg_say(fake, friend, strength, "Anything else?")
    await tg_press(fake, friend, "That's all", "note of encouragement")
    await tg_press(fake, friend, "Skip", "who wrote this")
    await tg_say(fake, friend, signed, "Sent.")


async def test_telegram_two_friends_add_strengths_and_the_person_keeps_one(
    telegram_fake: FakeTelegram, telegram: TelegramAdapter, db: Database, clock: FakeClock
):
    fake = telegram_fake
    await tg_say(fake, PERSON, "/start", "What should I call you?")
    await tg_say(fake, PERSON, "Alice", "time zone")
    await tg_say(fake, PERSON, "/cancel", "")
    sent = await tg_say(fake, PERSON, "/invite", "t.me/")
    share = next(c.params["text"] for c in sent if "t.me/" in c.params["text"])
    link = re.search(r"https://t\.me/(\w+)\?start=vouch-([A-Z0-9]+)", share)
    assert link is not None and link.group(1) == BOT_USER["username"]
    code = link.group(2)

    (intro, *_) = await tg_say(fake, SISTER, f"/vouch {code}", "is good at")
    assert intro.params["text"].startswith("Alice asked Rebound")
    await tg_say(fake, SISTER, "Calm under pressure", "Anything else?")
    await tg_press(fake, SISTER, "That's all", "note of encouragement")
    await tg_say(fake, SISTER, "You'll land something good", "who wrote this")
    await tg_say(fake, SISTER, "your sister", "Sent.")
    await tg_vouch(fake, HOUSEMATE, code, "Keeps the house calm", "your housemate")

    before = len(to_chat(fake, PERSON))
    report = await Dispatcher(db, [telegram], clock=clock).run_pass()
    assert report.sent == 2
    delivered = to_chat(fake, PERSON)[before:]
    assert [c.params["text"].split(":")[0] for c in delivered] == [
        "Someone who knows you (your sister) wrote",
        "Someone who knows you (your housemate) wrote",
    ]
    for call in delivered:
        keys = [k["text"] for row in call.params["reply_markup"]["inline_keyboard"] for k in row]
        assert keys[:2] == ["Keep it", "Not now"]

    first, second = delivered
    await fake.press(fake.message(first), _callback(first, "Keep it"), user_id=PERSON)
    await until(fake, lambda: said(fake, PERSON, "Kept"))
    await fake.press(fake.message(second), _callback(second, "Not now"), user_id=PERSON)
    await until(fake, lambda: said(fake, PERSON, "it waits for you"))
    (listing, *_) = await tg_say(fake, PERSON, "/strengths", "Your strengths")
    assert "Calm under pressure (from your sister)" in listing.params["text"]
    assert "house calm" not in listing.params["text"]
    # Nothing about Alice reached her friends beyond the name she chose.
    for friend in (SISTER, HOUSEMATE):
        assert not any("Calm under" in c.params["text"] for c in to_chat(fake, HOUSEMATE))
        assert all("t.me/" not in c.params["text"] for c in to_chat(fake, friend))


def _callback(call: Call, label: str) -> str:
    keys = [k for row in call.params["reply_markup"]["inline_keyboard"] for k in row]
    return next(k["callback_data"] for k in keys if k["text"] == label)


async def test_telegram_friend_in_crisis_gets_the_crisis_reply(
    telegram_fake: FakeTelegram, telegram: TelegramAdapter, db: Database, clock: FakeClock
):
    fake = telegram_fake
    sent = await tg_say(fake, PERSON, "/invite", "t.me/")
    code = re.findall(r"vouch-([A-Z0-9]+)", "".join(c.params["text"] for c in sent))[0]
    await tg_say(fake, SISTER, f"/vouch {code}", "is good at")
    await tg_say(fake, SISTER, "I don't want to live anymore", "/sos")
    report = await Dispatcher(db, [telegram], clock=clock).run_pass()
    assert report.sent == 0


# -- Discord ----------------------------------------------------------------------------

ALICE = user_payload(1_300_000_000_000_000_001, "alice")
BROTHER = user_payload(1_300_000_000_000_000_002, "brother")
FLATMATE = user_payload(1_300_000_000_000_000_003, "flatmate")


@pytest.fixture
async def discord_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.close()


@pytest.fixture
async def discord(discord_fake: FakeDiscord, engine: Engine) -> AsyncIterator[DiscordAdapter]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, discord_token="fake-bot-token", discord_guild_id=discord_fake.guild_id
    )
    adapter = DiscordAdapter(settings=settings, engine=engine, guild_ready_timeout=0.05)
    await adapter.start()
    await asyncio.wait_for(discord_fake.identified.wait(), 5)
    yield adapter
    await adapter.stop()


def dm_texts(fake: FakeDiscord, user: dict[str, Any]) -> list[Sent]:
    return fake.sent_to(fake.dm_channel_for(int(user["id"])))


async def dm_say(fake: FakeDiscord, user: dict[str, Any], text: str, expect: str) -> list[Sent]:
    seen = len(dm_texts(fake, user))
    await fake.direct_message(user, text)
    await fake.wait_for(
        lambda: any(expect in (m.content or "") for m in dm_texts(fake, user)[seen:])
    )
    return dm_texts(fake, user)[seen:]


async def dm_press(fake: FakeDiscord, user: dict[str, Any], label: str, expect: str) -> None:
    message = [m for m in dm_texts(fake, user) if m.buttons][-1]
    (button,) = [b for b in message.buttons if b["label"] == label]
    clicked = await fake.click(user, message, button["custom_id"])
    await fake.wait_for(lambda: any(expect in (m.content or "") for m in fake.sent_for(clicked)))


async def dm_vouch(fake: FakeDiscord, friend: dict[str, Any], code: str, strength: str) -> None:
    await dm_say(fake, friend, f"/vouch {code}", "is good at")
    await dm_say(fake, friend, strength, "Anything else?")
    await dm_press(fake, friend, "That's all", "note of encouragement")
    await dm_press(fake, friend, "Skip", "who wrote this")
    await dm_press(fake, friend, "Stay unnamed", "Sent.")


async def test_discord_two_friends_add_strengths_and_the_person_keeps_one(
    discord_fake: FakeDiscord, discord: DiscordAdapter, db: Database, clock: FakeClock
):
    fake = discord_fake
    asked = await fake.slash_command(ALICE, "invite")
    replies = await fake.wait_for(
        lambda: [m for m in fake.sent_for(asked) if "/vouch" in (m.content or "")]
    )
    assert all(m.ephemeral for m in fake.sent_for(asked))
    code = (replies[0].content or "").rsplit("/vouch ", 1)[1].strip()

    await dm_vouch(fake, BROTHER, code, "Great at untangling problems")
    await dm_vouch(fake, FLATMATE, code, "Always on time")

    report = await Dispatcher(db, [discord], clock=clock).run_pass()
    assert report.sent == 2
    first, second = dm_texts(fake, ALICE)[-2:]
    assert (first.content or "").startswith("Someone who knows you wrote:")
    assert "untangling" in (first.content or "") and "on time" in (second.content or "")
    assert [b["label"] for b in first.buttons][:2] == ["Keep it", "Not now"]

    kept = await fake.click(ALICE, first, first.buttons[0]["custom_id"])
    await fake.wait_for(lambda: any("Kept" in (m.content or "") for m in fake.sent_for(kept)))
    declined = await fake.click(ALICE, second, second.buttons[1]["custom_id"])
    await fake.wait_for(
        lambda: any("it waits for you" in (m.content or "") for m in fake.sent_for(declined))
    )
    listed = await fake.slash_command(ALICE, "strengths")
    shown = await fake.wait_for(
        lambda: [m for m in fake.sent_for(listed) if "untangling" in (m.content or "")]
    )
    assert "(from a friend)" in (shown[0].content or "")
    assert not any("on time" in (m.content or "") for m in fake.sent_for(listed))


async def test_telegram_closed_invites_a_forged_code_and_export_then_delete(
    telegram_fake: FakeTelegram, telegram: TelegramAdapter, db: Database, clock: FakeClock
):
    fake = telegram_fake
    friends = iter(range(7001, 7100))

    await tg_say(fake, SISTER, "/vouch QQQQQQQQ", "doesn't match any invite")

    used = await tg_code(fake)
    for number in range(5):
        await tg_vouch(fake, next(friends), used, f"Strength number {number}", "a friend")
    await tg_say(fake, next(friends), f"/vouch {used}", "used as many times")

    withdrawn = await tg_code(fake, "/invite new")
    await tg_say(fake, PERSON, "/invite list", "open invites")
    await tg_press(fake, PERSON, "Withdraw 1", "Withdrawn")
    await tg_say(fake, next(friends), f"/vouch {withdrawn}", "no longer open")

    expiring = await tg_code(fake, "/invite new")
    clock.advance(days=14, seconds=1)
    await tg_say(fake, next(friends), f"/vouch {expiring}", "expired")

    await fake.send_text("/export", user_id=PERSON)
    (document,) = await fake.wait_for("sendDocument")
    exported = json.loads(document.files["document"])
    assert used in [row["code"] for row in exported["tables"]["invites"]]
    assert len(exported["tables"]["contributions"]) == 5

    await tg_say(fake, PERSON, "/delete", "Delete everything?")
    await tg_press(fake, PERSON, "Yes, delete everything", "Everything I held about you")
    await tg_say(fake, next(friends), f"/vouch {used}", "doesn't match any invite")
    assert (await Dispatcher(db, [telegram], clock=clock).run_pass()).sent == 0


async def tg_code(fake: FakeTelegram, command: str = "/invite") -> str:
    sent = await tg_say(fake, PERSON, command, "t.me/")
    return re.findall(r"vouch-([A-Z0-9]+)", "".join(c.params["text"] for c in sent))[0]


async def test_discord_a_forged_code_and_a_friend_in_crisis(
    discord_fake: FakeDiscord, discord: DiscordAdapter, db: Database, clock: FakeClock
):
    fake = discord_fake
    await dm_say(fake, BROTHER, "/vouch QQQQQQQQ", "doesn't match any invite")
    asked = await fake.slash_command(ALICE, "invite")
    replies = await fake.wait_for(
        lambda: [m for m in fake.sent_for(asked) if "/vouch" in (m.content or "")]
    )
    code = (replies[0].content or "").rsplit("/vouch ", 1)[1].strip()
    await dm_say(fake, BROTHER, f"/vouch {code}", "is good at")
    await dm_say(fake, BROTHER, "I'm going to end my life tonight", "/sos")
    assert (await Dispatcher(db, [discord], clock=clock).run_pass()).sent == 0
