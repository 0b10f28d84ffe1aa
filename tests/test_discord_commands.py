"""Slash command definitions and their translation back to the engine's text form."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from bot.discord import commands
from bot.discord.commands import build_commands, command_text, company_role, matching_zones
from core.commands import CommandInfo, command_menu


async def _relay(interaction: Any, text: str) -> None:
    raise AssertionError("not called")


def test_every_menu_command_becomes_a_slash_command_in_order() -> None:
    built = build_commands(_relay)
    assert [c.name for c in built] == [c.name for c in command_menu()]
    assert all(0 < len(c.description) <= 100 for c in built)


def test_command_text_skips_missing_arguments() -> None:
    assert command_text("mood", 3, "rough day") == "/mood 3 rough day"
    assert command_text("mood", None, "  ") == "/mood"
    assert command_text("strengths", "add", "Patient") == "/strengths add Patient"


def test_company_and_role() -> None:
    assert company_role("Acme", "Designer") == "Acme - Designer"
    assert company_role("Acme", None) == "Acme"
    assert company_role(None, " ") is None
    assert company_role(None, "Designer") == "- Designer"  # not taken for a company


def test_timezone_suggestions() -> None:
    assert matching_zones("dublin") == ["Europe/Dublin"]
    assert matching_zones("europe/")[0].startswith("Europe/")
    assert len(matching_zones("")) == 25


def test_a_new_menu_command_gets_a_free_text_option(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = CommandInfo(name="goals", description="Your weekly goal", usage="[N]")
    monkeypatch.setattr(commands, "command_menu", lambda: (*command_menu(), extra))
    built = {c.name: c for c in build_commands(_relay)}
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.default()))
    (option,) = built["goals"].to_dict(tree)["options"]
    assert (option["name"], option["type"], option["required"]) == ("text", 3, False)
