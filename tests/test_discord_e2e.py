"""End to end: the real engine on a real SQLite file, the real discord.py client, a fake
Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.discord.adapter import DiscordAdapter
from bot.settings import Settings
from core.engine import Engine
from core.messages import RecipientUnreachable, Reply
from storage.database import Database
from storage.repositories import users
from tests.fake_discord import FakeDiscord, user_payload

ALICE = user_payload(1_200_000_000_000_000_001, "alice")
BOB = user_payload(1_200_000_000_000_000_002, "bob")


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.close()


@pytest.fixture
async def adapter(fake: FakeDiscord, engine: Engine) -> AsyncIterator[DiscordAdapter]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, discord_token="fake-bot-token", discord_guild_id=fake.guild_id
    )
    running = DiscordAdapter(settings=settings, engine=engine, guild_ready_timeout=0.05)
    await running.start()
    await asyncio.wait_for(fake.identified.wait(), 5)
    yield running
    await running.stop()


async def test_mood_buttons_round_trip(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    asked = await fake.slash_command(ALICE, "mood")
    (question,) = await fake.wait_for(lambda: fake.sent_for(asked))
    assert [b["label"] for b in question.buttons] == ["1", "2", "3", "4", "5"]

    refused = await fake.click(BOB, question, question.buttons[0]["custom_id"])
    await fake.wait_for(lambda: fake.sent_for(refused))

    clicked = await fake.click(ALICE, question, question.buttons[3]["custom_id"])
    answers = await fake.wait_for(lambda: fake.sent_for(clicked))
    assert all(b["disabled"] for b in question.buttons)
    assert answers[0].content


async def test_strengths_are_shown_only_to_their_owner_in_a_server(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    added = await fake.slash_command(ALICE, "strengths", action="add", text="Patient")
    await fake.wait_for(lambda: fake.sent_for(added))
    listed = await fake.slash_command(ALICE, "strengths")
    messages = await fake.wait_for(lambda: fake.sent_for(listed)[1:] and fake.sent_for(listed))
    mine = [m for m in messages if m.content and "Patient" in m.content]
    assert mine and all(m.ephemeral for m in mine)


async def test_closed_dms_mark_the_person_unreachable(
    fake: FakeDiscord, adapter: DiscordAdapter, db: Database
) -> None:
    channel = await fake.direct_message(BOB, "hello")
    await fake.wait_for(lambda: fake.sent_to(channel))
    fake.cannot_dm.add(int(BOB["id"]))
    with pytest.raises(RecipientUnreachable):
        await adapter.send(BOB["id"], [Reply("Time for a check-in.")])
    async with db.read() as session:
        bob = await users.find(session, "discord", BOB["id"])
    assert bob is not None and bob.unreachable_at is not None


async def test_the_composition_root_builds_and_runs_the_discord_adapter(
    fake: FakeDiscord, db_url: str
) -> None:
    from bot.app import build_adapters, open_app

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=db_url,
        telegram_token=None,
        discord_token="fake-bot-token",
        discord_guild_id=fake.guild_id,
    )
    async with open_app(settings) as app:
        (adapter,) = build_adapters(app)
        assert isinstance(adapter, DiscordAdapter) and adapter.platform == "discord"
        await adapter.start()
        try:
            await asyncio.wait_for(fake.identified.wait(), 5)
            asked = await fake.slash_command(ALICE, "help")
            (reply, *_) = await fake.wait_for(lambda: fake.sent_for(asked))
            assert reply.content
        finally:
            await adapter.stop()


@pytest.mark.parametrize(
    ("attachment", "flags", "kind"),
    [
        ({"filename": "cv.png", "content_type": "image/png"}, 0, "photo"),
        ({"filename": "voice-message.ogg", "content_type": "audio/ogg"}, 8192, "voice"),
        ({"filename": "cv.pdf", "content_type": "application/pdf"}, 0, "file"),
    ],
)
async def test_a_dm_with_only_an_attachment_is_answered_and_keeps_the_dialog(
    fake: FakeDiscord, adapter: DiscordAdapter, attachment: dict, flags: int, kind: str
) -> None:
    from core import content

    channel = await fake.direct_message(BOB, "/mood")
    (question,) = await fake.wait_for(lambda: fake.sent_to(channel))
    await fake.direct_message(BOB, "", attachments=[attachment], flags=flags)
    answer = await fake.wait_for(lambda: fake.sent_to(channel)[2:] and fake.sent_to(channel))
    what = content.text(f"engine.media.{kind}")
    assert answer[1].content == content.text("engine.text_only", what=what)
    assert answer[2].content == question.content
    assert [b["label"] for b in answer[2].buttons] == [b["label"] for b in question.buttons]


async def test_an_edited_dm_gets_the_crisis_check_only(
    fake: FakeDiscord, adapter: DiscordAdapter, db: Database
) -> None:
    from storage.repositories import moods

    words = "I want to end my life"
    alice_channel = await fake.direct_message(ALICE, words)
    (typed,) = await fake.wait_for(lambda: fake.sent_to(alice_channel))
    channel = await fake.direct_message(BOB, "/mood 2")
    first = await fake.wait_for(lambda: fake.sent_to(channel))
    original = fake.last_dm_id
    await fake.direct_message(BOB, "/mood 4", edit_of=original)
    await fake.direct_message(BOB, words, edit_of=original)
    answers = await fake.wait_for(
        lambda: [m for m in fake.sent_to(channel) if m.content == typed.content]
    )
    assert answers
    assert not any("4/5" in (m.content or "") for m in fake.sent_to(channel)[len(first) :])
    async with db.read() as session:
        bob = await users.find(session, "discord", BOB["id"])
        assert bob is not None and bob.crisis_at is not None
        assert [m.score for m in await moods.recent(session, bob.id)] == [2]


async def test_a_command_in_a_thread_is_answered_in_that_thread(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    thread = fake.new_id()
    asked = await fake.slash_command(ALICE, "mood", thread_id=thread)
    (question,) = await fake.wait_for(lambda: fake.sent_for(asked))
    assert question.channel_id == thread
    clicked = await fake.click(ALICE, question, question.buttons[2]["custom_id"])
    answers = await fake.wait_for(lambda: fake.sent_for(clicked))
    assert all(m.channel_id == thread for m in answers)
    assert not [m for m in fake.messages.values() if m.channel_id == fake.channel_id]
