"""The Discord adapter end to end: real discord.py over HTTP and WebSocket to a fake Discord."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from bot.discord.adapter import APOLOGY, DONE, NOT_YOURS, DiscordAdapter, ShardedReboundClient
from bot.settings import Settings
from core.commands import command_names
from core.messages import Attachment, Button, Incoming, RecipientUnreachable, Reply
from tests.fake_discord import FakeDiscord, user_payload

ALICE = user_payload(1_200_000_000_000_000_001, "alice")
BOB = user_payload(1_200_000_000_000_000_002, "bob")


class StandInEngine:
    """Records what it is asked; answers with ``respond`` (replace it per test)."""

    def __init__(self) -> None:
        self.received: list[Incoming] = []
        self.unreachable: list[tuple[str, str]] = []
        self.respond: Callable[[Incoming], list[Reply]] = self.default
        self.delay = 0.0

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.received.append(incoming)
        if self.delay:
            await asyncio.sleep(self.delay)
        return self.respond(incoming)

    async def mark_unreachable(self, platform: str, user_id: str) -> None:
        self.unreachable.append((platform, user_id))

    @staticmethod
    def default(incoming: Incoming) -> list[Reply]:
        if incoming.text == "/boom":
            raise RuntimeError("engine bug")
        if incoming.text == "/mood":
            buttons = tuple(Button(str(n), f"mood:{n}") for n in range(1, 6))
            return [Reply("How are you feeling, 1 to 5?", buttons=buttons)]
        if incoming.payload:
            return [Reply(f"Logged {incoming.payload}.", personal=True)]
        return [Reply(f"You said: {incoming.text}")]


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.close()


@pytest.fixture
def engine() -> StandInEngine:
    return StandInEngine()


async def started(
    fake: FakeDiscord, engine: object, *, defer_after: float = 5.0, **settings: object
) -> DiscordAdapter:
    config = Settings(_env_file=None, discord_token="fake-bot-token", **settings)  # type: ignore[call-arg]
    adapter = DiscordAdapter(
        settings=config, engine=engine, guild_ready_timeout=0.05, defer_after=defer_after
    )
    await adapter.start()
    await asyncio.wait_for(fake.identified.wait(), 5)
    return adapter


@pytest.fixture
async def adapter(fake: FakeDiscord, engine: StandInEngine) -> AsyncIterator[DiscordAdapter]:
    running = await started(fake, engine, discord_guild_id=fake.guild_id)
    yield running
    await running.stop()


async def test_syncs_every_command_to_the_guild_with_typed_options(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    assert [scope for scope, _ in fake.syncs] == [fake.guild_id]
    body = {c["name"]: c for c in fake.syncs[0][1]}
    assert set(body) == command_names()
    score, note = body["mood"]["options"]
    assert (score["name"], score["type"], score["min_value"], score["max_value"]) == (
        "score",
        4,
        1,
        5,
    )
    assert (note["name"], note["type"], note["required"]) == ("note", 3, False)
    action = body["strengths"]["options"][0]
    assert [c["value"] for c in action["choices"]] == ["add", "remove"]
    assert body["timezone"]["options"][0]["autocomplete"] is True
    assert all(c["description"] for c in body.values())
    assert fake.identify is not None and fake.identify["intents"] & (1 << 15) == 0


async def test_syncs_globally_without_a_guild(fake: FakeDiscord, engine: StandInEngine) -> None:
    adapter = await started(fake, engine)
    try:
        assert [scope for scope, _ in fake.syncs] == [None]
    finally:
        await adapter.stop()


async def test_slash_command_options_reach_the_engine_as_text(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    interaction = await fake.slash_command(ALICE, "mood", score=3, note="rough day")
    (reply,) = await fake.wait_for(lambda: fake.sent_for(interaction))
    (incoming,) = engine.received
    assert incoming.text == "/mood 3 rough day"
    assert incoming.user_id == ALICE["id"]
    assert (incoming.platform, incoming.private, incoming.ephemeral) == ("discord", False, True)
    assert reply.content == "You said: /mood 3 rough day"
    assert not reply.ephemeral
    assert reply.payload["allowed_mentions"] == {"parse": []}


async def test_strengths_add_becomes_engine_text(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    await fake.slash_command(ALICE, "strengths", action="add", text="Patient")
    interaction = await fake.slash_command(ALICE, "strengths")
    await fake.wait_for(lambda: fake.sent_for(interaction))
    assert [i.text for i in engine.received] == ["/strengths add Patient", "/strengths"]


async def test_personal_reply_in_a_guild_is_ephemeral(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    engine.respond = lambda incoming: [
        Reply("Here is your list."),
        Reply("Your strengths: patient, curious", personal=True),
        Reply("Add another?", buttons=(Button("Add one", "add"),)),
    ]
    interaction = await fake.slash_command(ALICE, "strengths")
    public, personal, after = await fake.wait_for(
        lambda: len(fake.sent_for(interaction)) == 3 and fake.sent_for(interaction)
    )
    assert not public.ephemeral and public.via == "response"
    assert personal.ephemeral and personal.via == "followup"
    assert after.ephemeral  # the private exchange stays private


async def test_click_on_an_ephemeral_message_answers_ephemerally(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    buttons = (Button("Yes", "yes"),)
    engine.respond = lambda incoming: (
        [Reply("Delete this note?", buttons=buttons, personal=True)]
        if incoming.payload is None
        else [Reply("Okay.")]
    )
    interaction = await fake.slash_command(ALICE, "delete")
    (question,) = await fake.wait_for(lambda: fake.sent_for(interaction))
    assert question.ephemeral
    click = await fake.click(ALICE, question, question.buttons[0]["custom_id"])
    (answer,) = await fake.wait_for(lambda: fake.sent_for(click))
    assert answer.ephemeral


async def test_slow_engine_defers_first(fake: FakeDiscord, engine: StandInEngine) -> None:
    engine.delay = 0.3
    adapter = await started(fake, engine, defer_after=0.05, discord_guild_id=fake.guild_id)
    try:
        interaction = await fake.slash_command(ALICE, "progress")
        await fake.wait_for(lambda: [m for m in fake.sent_for(interaction) if m.via == "followup"])
    finally:
        await adapter.stop()
    assert [c["type"] for c in fake.callbacks_for(interaction)] == [5]
    assert fake.callbacks_for(interaction)[0]["data"]["flags"] & 64


async def test_button_click_by_owner_disables_buttons_and_reaches_engine(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    interaction = await fake.slash_command(ALICE, "mood")
    (question,) = await fake.wait_for(lambda: fake.sent_for(interaction))
    assert [b["label"] for b in question.buttons] == ["1", "2", "3", "4", "5"]
    three = question.buttons[2]["custom_id"]

    click = await fake.click(ALICE, question, three)
    (logged,) = await fake.wait_for(lambda: fake.sent_for(click))
    assert [c["type"] for c in fake.callbacks_for(click)] == [7]  # UPDATE_MESSAGE
    assert all(b["disabled"] for b in question.buttons)
    assert engine.received[-1].payload == "mood:3"
    assert engine.received[-1].text == ""
    assert logged.content == "Logged mood:3." and logged.ephemeral


async def test_button_click_by_someone_else_is_refused(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    interaction = await fake.slash_command(ALICE, "mood")
    (question,) = await fake.wait_for(lambda: fake.sent_for(interaction))

    click = await fake.click(BOB, question, question.buttons[0]["custom_id"])
    (refusal,) = await fake.wait_for(lambda: fake.sent_for(click))
    assert refusal.content == NOT_YOURS and refusal.ephemeral
    assert not any(b.get("disabled") for b in question.buttons)
    assert [i.payload for i in engine.received] == [None]


async def test_buttons_work_after_a_restart(fake: FakeDiscord, engine: StandInEngine) -> None:
    first = await started(fake, engine, discord_guild_id=fake.guild_id)
    interaction = await fake.slash_command(ALICE, "mood")
    (question,) = await fake.wait_for(lambda: fake.sent_for(interaction))
    await first.stop()
    fake.identified.clear()

    second = await started(fake, engine, discord_guild_id=fake.guild_id)
    try:
        click = await fake.click(ALICE, question, question.buttons[4]["custom_id"])
        await fake.wait_for(lambda: fake.sent_for(click))
        assert engine.received[-1].payload == "mood:5"
    finally:
        await second.stop()


async def test_direct_message_is_free_text(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    channel = await fake.direct_message(ALICE, "they said no again @everyone")
    (reply,) = await fake.wait_for(lambda: fake.sent_to(channel))
    (incoming,) = engine.received
    assert incoming.text == "they said no again @everyone"
    assert (incoming.private, incoming.ephemeral) == (True, False)
    assert reply.content == "You said: they said no again @everyone"
    assert reply.payload["allowed_mentions"] == {"parse": []}
    assert channel in fake.typing


async def test_attachment_is_sent_as_a_file(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    chart = Attachment("mood.png", b"\x89PNG fake", kind="photo")
    engine.respond = lambda incoming: [Reply("Your week", attachment=chart, personal=True)]
    interaction = await fake.slash_command(ALICE, "chart")
    (message,) = await fake.wait_for(lambda: fake.sent_for(interaction))
    assert message.files == ["mood.png"] and message.ephemeral


async def test_engine_error_gets_an_apology_and_others_carry_on(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    def respond(incoming: Incoming) -> list[Reply]:
        if incoming.text == "/cancel":
            raise RuntimeError("engine bug")
        return [Reply("fine")]

    engine.respond = respond
    broken = await fake.slash_command(ALICE, "cancel")
    (apology,) = await fake.wait_for(lambda: fake.sent_for(broken))
    assert apology.content == APOLOGY and apology.ephemeral

    fine = await fake.slash_command(BOB, "help")
    (reply,) = await fake.wait_for(lambda: fake.sent_for(fine))
    assert reply.content == "fine"


async def test_scheduled_dm_is_sent(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    await adapter.send(ALICE["id"], [Reply("You kept going this week.", personal=True)])
    (message,) = fake.sent_to(fake.dm_channels[int(ALICE["id"])])
    assert message.content == "You kept going this week."


async def test_scheduled_dm_to_closed_dms_marks_unreachable(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    fake.cannot_dm.add(int(BOB["id"]))
    with pytest.raises(RecipientUnreachable):
        await adapter.send(BOB["id"], [Reply("Time for a check-in.")])
    assert engine.unreachable == [("discord", BOB["id"])]


async def test_slash_command_in_a_dm_is_private_and_not_ephemeral(
    fake: FakeDiscord, engine: StandInEngine
) -> None:
    engine.respond = lambda incoming: [Reply("Your mood this week: 3, 4", personal=True)]
    adapter = await started(fake, engine)  # global commands: usable in DMs too
    try:
        interaction = await fake.slash_command(ALICE, "progress", in_guild=False)
        (reply,) = await fake.wait_for(lambda: fake.sent_for(interaction))
    finally:
        await adapter.stop()
    assert engine.received[0].private
    assert not reply.ephemeral
    assert reply.channel_id == fake.dm_channels[int(ALICE["id"])]


async def test_buttons_in_a_dm_answer_by_followup(
    fake: FakeDiscord, adapter: DiscordAdapter, engine: StandInEngine
) -> None:
    channel = await fake.direct_message(ALICE, "/mood")
    (question,) = await fake.wait_for(lambda: fake.sent_to(channel))
    click = await fake.click(ALICE, question, question.buttons[0]["custom_id"])
    (logged,) = await fake.wait_for(lambda: fake.sent_for(click))
    assert logged.content == "Logged mood:1."
    assert engine.received[-1].private


async def test_the_token_is_never_logged(
    fake: FakeDiscord, engine: StandInEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    adapter = await started(fake, engine, discord_guild_id=fake.guild_id)
    interaction = await fake.slash_command(ALICE, "help")
    await fake.wait_for(lambda: fake.sent_for(interaction))
    await adapter.stop()
    assert "fake-bot-token" not in caplog.text


async def test_no_reply_after_a_defer_replaces_thinking_with_done(
    fake: FakeDiscord, engine: StandInEngine
) -> None:
    engine.delay = 0.3
    engine.respond = lambda incoming: []
    adapter = await started(fake, engine, defer_after=0.05, discord_guild_id=fake.guild_id)
    try:
        interaction = await fake.slash_command(ALICE, "resume")
        (thinking,) = await fake.wait_for(
            lambda: [m for m in fake.sent_for(interaction) if m.content == DONE]
        )
    finally:
        await adapter.stop()
    assert thinking.via == "deferred"


async def test_sharded_client_connects(fake: FakeDiscord, engine: StandInEngine) -> None:
    adapter = await started(fake, engine, discord_shard_count=1, discord_shard_ids=[0])
    try:
        assert isinstance(adapter.client, ShardedReboundClient)
        assert fake.identify is not None and fake.identify["shard"] == [0, 1]
        interaction = await fake.slash_command(ALICE, "help", in_guild=False)
        await fake.wait_for(lambda: fake.sent_for(interaction))
    finally:
        await adapter.stop()


async def test_a_burst_of_direct_messages_is_answered_in_order(fake: FakeDiscord) -> None:
    class Uneven(StandInEngine):
        async def handle(self, incoming: Incoming) -> list[Reply]:
            if incoming.text.endswith(("0", "3", "7")):
                await asyncio.sleep(0.05)
            return await super().handle(incoming)

    running = await started(fake, Uneven(), discord_guild_id=fake.guild_id)
    try:
        texts = [f"message {n}" for n in range(20)]
        for text in texts:
            channel = await fake.direct_message(ALICE, text)
        replies = await fake.wait_for(
            lambda: len(fake.sent_to(channel)) == 20 and fake.sent_to(channel)
        )
    finally:
        await running.stop()
    assert [reply.content for reply in replies] == [f"You said: {t}" for t in texts]


async def test_interaction_tokens_are_redacted_at_platform_debug(
    fake: FakeDiscord, engine: StandInEngine, caplog: pytest.LogCaptureFixture
) -> None:
    """With the platform libraries at DEBUG (REBOUND_PLATFORM_DEBUG=1), discord.py logs
    every gateway event and REST call; the log output carries no interaction token."""
    import io
    import logging

    from bot.logs import RedactingFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(name)s %(message)s", ["fake-bot-token"]))
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level("DEBUG")
    try:
        adapter = await started(fake, engine, discord_guild_id=fake.guild_id)
        interaction = await fake.slash_command(ALICE, "mood")
        (question,) = await fake.wait_for(lambda: fake.sent_for(interaction))
        await fake.click(ALICE, question, question.buttons[0]["custom_id"])
        await fake.wait_for(lambda: len(engine.received) == 2)
        await adapter.stop()
    finally:
        root.removeHandler(handler)
    assert "interaction-token-" in caplog.text  # the libraries did log the tokens...
    output = stream.getvalue()
    assert "WebSocket Event" in output
    assert "interaction-token-" not in output and "fake-bot-token" not in output  # ...not here


async def test_slash_commands_sync_again_only_when_their_definition_changed(
    fake: FakeDiscord, engine: StandInEngine, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.discord import commands as commands_module
    from bot.discord.commands import SyncedCommands
    from core.commands import command_menu

    async def start_once(**options: object) -> DiscordAdapter:
        config = Settings(  # type: ignore[call-arg]
            _env_file=None, discord_token="fake-bot-token", discord_guild_id=fake.guild_id
        )
        adapter = DiscordAdapter(
            settings=config,
            engine=engine,
            guild_ready_timeout=0.05,
            synced_commands=SyncedCommands(tmp_path),
            **options,  # type: ignore[arg-type]
        )
        await adapter.start()
        await asyncio.wait_for(fake.identified.wait(), 5)
        await adapter.stop()
        fake.identified.clear()
        return adapter

    assert (await start_once()).synced == len(command_menu())
    assert (await start_once()).synced is None  # the same commands: not synced again
    assert len(fake.syncs) == 1

    shorter = command_menu()[:-1]
    monkeypatch.setattr(commands_module, "command_menu", lambda: shorter)
    assert (await start_once()).synced == len(shorter)
    assert (await start_once(force_sync=True)).synced == len(shorter)
    assert len(fake.syncs) == 3
    assert set(fake.commands[fake.guild_id]) == {c.name for c in shorter}


async def test_sync_commands_publishes_them_without_the_gateway(
    fake: FakeDiscord, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m bot sync-commands`` (bot/__main__.py) runs this for Discord."""
    from bot.platforms import builtin
    from core.commands import command_menu

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    config = Settings(  # type: ignore[call-arg]
        _env_file=None,
        discord_token="fake-bot-token",
        database_url="postgresql+asyncpg://db.invalid/rebound",
    )
    (discord_platform,) = builtin().enabled(config)
    assert discord_platform.publish_commands is not None
    assert await discord_platform.publish_commands(config) == len(command_menu())
    assert [scope for scope, _ in fake.syncs] == [None]
    assert not fake.identified.is_set()
    assert list((tmp_path / "rebound").glob("discord-commands-*-global.sha256"))
