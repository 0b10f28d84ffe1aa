"""What the bot says, read from the TOML files under ``core/content``.

``content/text/<area>.toml`` hold the bot's sentences, looked up as ``"<area>.<key>"``
(nested tables add more dotted parts). The other files are structured data
(affirmations, crisis lines, intent patterns) read by the modules that use them.
Everything is read once and cached; a missing key is a programming error and raises.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

_ROOT = "core.content"


def _root() -> Traversable:
    return resources.files(_ROOT)


@cache
def data(name: str) -> Mapping[str, Any]:
    """A structured data file, e.g. ``data("affirmations")``."""
    return tomllib.loads(_root().joinpath(f"{name}.toml").read_text(encoding="utf-8"))


@cache
def _texts() -> Mapping[str, str]:
    flat: dict[str, str] = {}
    for entry in _root().joinpath("text").iterdir():
        if entry.name.endswith(".toml"):
            area = entry.name.removesuffix(".toml")
            _flatten(area, tomllib.loads(entry.read_text(encoding="utf-8")), flat)
    return flat


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        if isinstance(value, Mapping):
            _flatten(f"{prefix}.{key}", value, out)
        elif isinstance(value, str):
            out[f"{prefix}.{key}"] = value.strip("\n")
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            for index, item in enumerate(value):
                out[f"{prefix}.{key}.{index}"] = item


def text(key: str, /, **values: object) -> str:
    """The sentence stored under ``key``, with ``{placeholders}`` filled from ``values``."""
    template = _texts()[key]
    return template.format(**values) if values else template


def texts(prefix: str) -> list[str]:
    """All sentences of a list stored under ``prefix`` (``key = ["...", "..."]``), in order."""
    found = []
    index = 0
    while (key := f"{prefix}.{index}") in _texts():
        found.append(_texts()[key])
        index += 1
    return found


def has_text(key: str) -> bool:
    return key in _texts()
