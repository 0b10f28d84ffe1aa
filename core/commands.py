"""The command menu, read from ``content/commands.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class CommandInfo:
    name: str
    description: str
    usage: str


@cache
def command_menu() -> tuple[CommandInfo, ...]:
    """Every command, in the order the menu shows them."""
    raw = tomllib.loads(resources.files("core.content").joinpath("commands.toml").read_text())
    return tuple(CommandInfo(**entry) for entry in raw["command"])


def command_names() -> frozenset[str]:
    return frozenset(c.name for c in command_menu())
