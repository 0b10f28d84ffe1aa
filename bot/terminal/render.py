"""One bot message in the terminal chat's transcript format (docs/DESIGN.md).

The message's first line starts with ``bot> ``; its further lines are indented by as
much, so that none can be mistaken for a button line; an empty line stays empty. The
buttons follow, one a line, as ``  [n] Label`` (n from 1): the terminal's stand-in for
an inline keyboard, pressed by typing n.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.messages import Button

PREFIX = "bot> "
CONTINUATION = " " * len(PREFIX)


def render(text: str, buttons: Sequence[Button] = ()) -> str:
    """``text`` and ``buttons`` as transcript lines, each ending in a newline."""
    lines = text.split("\n") or [""]
    rendered = [PREFIX + lines[0]]
    rendered += [CONTINUATION + more if more else "" for more in lines[1:]]
    rendered += [f"  [{number}] {button.label}" for number, button in enumerate(buttons, 1)]
    return "".join(line + "\n" for line in rendered)
