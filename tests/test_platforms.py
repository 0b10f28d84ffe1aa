"""The platform registry (bot/platforms.py): a new platform is one declaration, and the
composition root, the scheduler and the command line take it from there."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import build_adapters, open_app, start_scheduler
from bot.platforms import Adapter, Conversations, Registration, Registry, builtin
from bot.settings import Settings
from core.messages import Incoming, Reply
from core.pacing import PACES, Pace
from tests.conftest import FakeClock


class ToyAdapter:
    """A whole platform: people type into ``say``, and what they would see is in
    ``screen``, by person."""

    platform = "toy"

    def __init__(self, engine: Conversations) -> None:
        self._engine = engine
        self.screen: dict[str, list[str]] = {}
        self.running = False

    async def start(self) -> None:
        self.running = True

    async def stop(self) -> None:
        self.running = False

    async def say(self, user_id: str, text: str) -> None:
        replies = await self._engine.handle(Incoming(self.platform, user_id, text=text))
        await self.send(user_id, replies)

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        self.screen.setdefault(user_id, []).extend(reply.text for reply in replies)


def toy_platform(built: list[ToyAdapter]) -> Registration:
    def build(settings: Settings, engine: Conversations) -> Adapter:
        built.append(ToyAdapter(engine))
        return built[-1]

    return Registration(name="toy", enabled=lambda s: True, build=build, pace=Pace(rate=5.0))


def settings_for(db_url: str, **values: object) -> Settings:
    return Settings(_env_file=None, database_url=db_url, **values)  # type: ignore[call-arg]


async def test_a_registered_toy_platform_is_built_started_and_answers(db_url: str):
    built: list[ToyAdapter] = []
    platforms = Registry([toy_platform(built)])
    async with open_app(settings_for(db_url), platforms=platforms) as app:
        (adapter,) = build_adapters(app)
        await adapter.start()
        toy = built[0]
        await toy.say("ada", "/strengths add Patient")
        await toy.say("ada", "/strengths")
        await adapter.stop()
    assert toy.screen["ada"][0].startswith('Saved: "Patient"')
    assert "1. Patient" in "\n".join(toy.screen["ada"][1:])


async def test_the_scheduler_delivers_through_a_registered_platform_at_its_pace(db_url: str):
    # Near the real time: the live scheduler's clock rule compares with the database's.
    clock = FakeClock(datetime.now(UTC).replace(second=0, microsecond=0))
    due = clock.now + timedelta(minutes=2)
    built: list[ToyAdapter] = []
    platforms = Registry([toy_platform(built)])
    settings = settings_for(db_url, scheduler_interval_seconds=3600)
    async with open_app(settings, clock=clock, platforms=platforms) as app:
        (toy,) = build_adapters(app)
        assert isinstance(toy, ToyAdapter)
        for line in ("/timezone UTC", f"/affirmations {due:%H:%M}", "/checkins off"):
            await toy.say("ada", line)
        before = len(toy.screen["ada"])
        job = await start_scheduler(app, [toy])
        assert job is not None
        try:
            assert job.dispatcher.pacer("toy").pace == Pace(rate=5.0)
            clock.advance(minutes=3)
            for _ in range(500):  # the first pass (at start) may still be running
                await job.tick()
                if len(toy.screen["ada"]) > before:
                    break
                await asyncio.sleep(0.01)
            await job.tick()  # a further pass sends nothing more
        finally:
            await job.stop()
    assert len(toy.screen["ada"]) == before + 1


def test_a_second_platform_with_a_taken_name_is_refused():
    registry = builtin()
    with pytest.raises(ValueError, match="telegram"):
        registry.register(Registration(name="telegram", enabled=lambda s: True, build=None))


def test_the_shipped_platforms_are_on_by_their_tokens_and_keep_their_paces(db_url: str):
    registry = builtin()
    assert [p.name for p in registry] == ["telegram", "discord", "terminal"]
    assert registry.enabled(settings_for(db_url)) == []
    on = registry.enabled(settings_for(db_url, discord_token="x" * 30))
    assert [p.name for p in on] == ["discord"]
    assert registry.paces() == {**PACES, "terminal": Pace(rate=None)}
    secrets = registry.secrets(
        settings_for(db_url, telegram_token="123:abc", telegram_webhook_secret="s3cret")
    )
    assert sorted(secrets) == ["123:abc", "s3cret"]


def test_reading_the_registrations_loads_no_platform_library():
    import subprocess
    import sys

    probe = (
        "import sys; from bot.platforms import builtin; builtin(); "
        "print(sorted(m for m in ('telegram', 'discord') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
