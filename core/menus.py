"""Button rows shown in more than one place."""

from __future__ import annotations

from core import content
from core.dialog import Context
from core.messages import Button


def main_menu() -> tuple[Button, ...]:
    """The main options: offered by the fallback, greetings and /cancel."""
    return (
        Context.command(content.text("menu.rejected"), "/rejected"),
        Context.command(content.text("menu.mood"), "/mood"),
        Context.command(content.text("menu.strengths"), "/strengths"),
        Context.command(content.text("menu.progress"), "/progress"),
        Context.command(content.text("menu.help"), "/help"),
    )
