"""Buttons that carry the engine's payload and their owner in the custom_id.

Because everything needed to handle a click lives in the custom_id, a button keeps
working after a restart: discord.py matches the id against ``OwnedButton``'s template
(a dynamic item) instead of looking for a view object kept in memory.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from core.messages import Button

CUSTOM_ID_PREFIX = "rb"
LABEL_LIMIT = 80
BUTTONS_PER_MESSAGE = 25

ClickHandler = Callable[[discord.Interaction[Any], str, str], Awaitable[None]]
"""Called with (interaction, owner id, engine payload) when an OwnedButton is clicked."""


def custom_id(owner_id: str, payload: str) -> str:
    """``rb:<owner>:<payload>``: at most 3 + 20 + 1 + 64 characters, within Discord's 100."""
    return f"{CUSTOM_ID_PREFIX}:{owner_id}:{payload}"


class OwnedButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.compile(rf"{CUSTOM_ID_PREFIX}:(?P<owner>[0-9]+):(?P<payload>.+)", re.DOTALL),
):
    """A button shown to one person; its click goes to the client's ``on_button`` handler."""

    def __init__(self, owner_id: str, payload: str, label: str = "\u200b") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:LABEL_LIMIT] or "\u200b",
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id(owner_id, payload),
            )
        )
        self.owner_id = owner_id
        self.payload = payload

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> OwnedButton:
        label = getattr(item, "label", None) or "\u200b"
        return cls(match["owner"], match["payload"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler: ClickHandler = interaction.client.on_button
        await handler(interaction, self.owner_id, self.payload)


def build_view(owner_id: str, buttons: Sequence[Button]) -> discord.ui.View:
    """A view of the engine's buttons, five to a row, bound to ``owner_id``.

    The view is stopped before it is sent, so discord.py keeps no per-message state or
    timer for it: clicks are matched by ``OwnedButton``'s template, registered once.
    """
    view = discord.ui.View(timeout=None)
    for button in buttons[:BUTTONS_PER_MESSAGE]:
        view.add_item(OwnedButton(owner_id, button.payload, button.label))
    view.stop()
    return view


def used_view(message: discord.Message, chosen_custom_id: str) -> discord.ui.View:
    """The message's buttons, all disabled, the one chosen highlighted.

    The view is stopped so that discord.py does not keep it in memory when the message
    is edited: clicks on these ids are handled by ``OwnedButton`` anyway.
    """
    view = discord.ui.View.from_message(message, timeout=None)
    for item in view.children:
        if isinstance(item, discord.ui.Button):
            item.disabled = True
            if item.custom_id == chosen_custom_id:
                item.style = discord.ButtonStyle.primary
    view.stop()
    return view
