"""Slash commands for every command of the menu, turned back into the engine's text form.

``/mood score:3 note:rough day`` reaches the engine as ``"/mood 3 rough day"``, exactly as
if the person had typed it in a chat. Commands with arguments get typed options; a
command the menu gains later without an entry here still works, with one free-text
option when its usage says it takes arguments.
"""

# No ``from __future__ import annotations``: discord.py reads the callbacks' annotations.

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import available_timezones

import discord
from discord import app_commands

from core.commands import CommandInfo, command_menu

logger = logging.getLogger(__name__)

DESCRIPTION_LIMIT = 100
CHOICES_LIMIT = 25

Relay = Callable[[discord.Interaction[Any], str], Awaitable[None]]
"""Sends the command text to the engine and answers the interaction."""

Score = app_commands.Range[int, 1, 5]
Days = app_commands.Range[int, 1, 365]


def command_text(name: str, *arguments: object) -> str:
    """``/name arg1 arg2``, skipping missing or blank arguments."""
    words = [str(a).strip() for a in arguments if a is not None and str(a).strip()]
    return " ".join([f"/{name}", *words])


def company_role(company: str | None, role: str | None) -> str | None:
    """The ``company - role`` argument of /rejected and /applied."""
    company, role = (company or "").strip(), (role or "").strip()
    if company and role:
        return f"{company} - {role}"
    if role:
        return f"- {role}"  # a role with no company: the engine reads "- Role" that way
    return company or None


@cache
def _sorted_zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def matching_zones(current: str, limit: int = CHOICES_LIMIT) -> list[str]:
    """IANA zones for the /timezone autocomplete: prefix matches first, then substrings."""
    needle = current.strip().lower().replace(" ", "_")
    zones = _sorted_zones()
    if not needle:
        return [z for z in zones if "/" in z][:limit]
    starts = [z for z in zones if z.lower().startswith(needle) or _city(z).startswith(needle)]
    contains = [z for z in zones if needle in z.lower() and z not in starts]
    return (starts + contains)[:limit]


def _city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].lower()


async def _zone_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=z, value=z) for z in matching_zones(current)]


def _typed_callbacks(relay: Relay) -> dict[str, Callable[..., Coroutine[Any, Any, None]]]:
    """Callbacks for the commands that take arguments, keyed by command name."""

    @app_commands.describe(company="Company that turned you down", role="The role")
    async def rejected(
        interaction: discord.Interaction[Any], company: str | None = None, role: str | None = None
    ) -> None:
        await relay(interaction, command_text("rejected", company_role(company, role)))

    @app_commands.describe(score="1 = awful, 5 = good", note="A few words on why (optional)")
    async def mood(
        interaction: discord.Interaction[Any], score: Score | None = None, note: str | None = None
    ) -> None:
        await relay(interaction, command_text("mood", score, note))

    @app_commands.describe(action="Add or remove a strength", text="The strength, or its number")
    async def strengths(
        interaction: discord.Interaction[Any],
        action: Literal["add", "remove"] | None = None,
        text: str | None = None,
    ) -> None:
        await relay(interaction, command_text("strengths", action, text))

    @app_commands.describe(company="Where you applied", role="The role")
    async def applied(
        interaction: discord.Interaction[Any], company: str | None = None, role: str | None = None
    ) -> None:
        await relay(interaction, command_text("applied", company_role(company, role)))

    @app_commands.describe(company="The company to ask for feedback")
    async def feedback(interaction: discord.Interaction[Any], company: str | None = None) -> None:
        await relay(interaction, command_text("feedback", company))

    @app_commands.describe(action="Add a skill, or mark one done", text="The skill, or its number")
    async def skills(
        interaction: discord.Interaction[Any],
        action: Literal["add", "done"] | None = None,
        text: str | None = None,
    ) -> None:
        await relay(interaction, command_text("skills", action, text))

    @app_commands.describe(company="A company to add to your list")
    async def targets(interaction: discord.Interaction[Any], company: str | None = None) -> None:
        await relay(interaction, command_text("targets", "add" if company else None, company))

    @app_commands.describe(zone="Your time zone, e.g. Europe/Dublin")
    @app_commands.autocomplete(zone=_zone_choices)
    async def timezone(interaction: discord.Interaction[Any], zone: str | None = None) -> None:
        await relay(interaction, command_text("timezone", zone))

    @app_commands.describe(time="Daily time as HH:MM, or off")
    async def affirmations(interaction: discord.Interaction[Any], time: str | None = None) -> None:
        await relay(interaction, command_text("affirmations", time))

    @app_commands.describe(days="Days, e.g. mon,wed,fri, or off", time="Time as HH:MM")
    async def checkins(
        interaction: discord.Interaction[Any], days: str | None = None, time: str | None = None
    ) -> None:
        await relay(interaction, command_text("checkins", days, time))

    @app_commands.describe(days="How many days to pause (leave empty until /resume)")
    async def pause(interaction: discord.Interaction[Any], days: Days | None = None) -> None:
        await relay(interaction, command_text("pause", days))

    return {
        f.__name__: f
        for f in (
            rejected,
            mood,
            strengths,
            applied,
            feedback,
            skills,
            targets,
            timezone,
            affirmations,
            checkins,
            pause,
        )
    }


def _plain_callback(relay: Relay, info: CommandInfo) -> Callable[..., Coroutine[Any, Any, None]]:
    if info.usage:

        async def with_text(interaction: discord.Interaction[Any], text: str | None = None) -> None:
            await relay(interaction, command_text(info.name, text))

        return app_commands.describe(text=info.usage[:DESCRIPTION_LIMIT])(with_text)

    async def bare(interaction: discord.Interaction[Any]) -> None:
        await relay(interaction, command_text(info.name))

    return bare


def build_commands(relay: Relay) -> list[app_commands.Command[Any, ..., None]]:
    """One app command per menu entry, in menu order."""
    typed = _typed_callbacks(relay)
    return [
        app_commands.Command(
            name=info.name,
            description=info.description[:DESCRIPTION_LIMIT],
            callback=typed.get(info.name) or _plain_callback(relay, info),
        )
        for info in command_menu()
    ]


def definition_hash(tree: app_commands.CommandTree[Any], guild: discord.Object | None) -> str:
    """SHA-256 (hex) of the slash commands as they would be synced to ``guild`` (None:
    globally): the JSON that ``CommandTree.sync`` sends, keys sorted."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class SyncedCommands:
    """The hash of the slash commands last synced, in a file of the data folder
    (``discord-commands-<application id>-<guild id or global>.sha256``), so that a start
    with unchanged commands does not sync again (discord.py's ``app_commands`` guide:
    sync on purpose, not on every start; Discord rate-limits command updates)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, application_id: int | None, guild_id: int | None) -> Path:
        scope = "global" if guild_id is None else str(guild_id)
        return self._folder / f"discord-commands-{application_id}-{scope}.sha256"

    def matches(self, application_id: int | None, guild_id: int | None, digest: str) -> bool:
        """Whether ``digest`` is what was last synced for this application and scope."""
        try:
            return self._path(application_id, guild_id).read_text().strip() == digest
        except OSError:
            return False

    def save(self, application_id: int | None, guild_id: int | None, digest: str) -> None:
        """Record ``digest`` as synced; a folder that cannot be written is logged, and
        the next start syncs again."""
        try:
            self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._path(application_id, guild_id).write_text(digest + "\n")
        except OSError as error:
            logger.warning("could not record the synced slash commands: %s", error)
