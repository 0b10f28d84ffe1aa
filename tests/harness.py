"""An in-process chat with the real engine on a real SQLite file: send text, press a
button, read the replies. Dialog tests use it; it talks to no platform."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.engine import Engine
from core.messages import Button, Incoming, Reply


@dataclass
class Chat:
    engine: Engine
    user: str = "alice"
    platform: str = "terminal"
    private: bool = True
    ephemeral: bool = False
    history: list[Reply] = field(default_factory=list)
    last: list[Reply] = field(default_factory=list)

    async def send(self, text: str) -> list[Reply]:
        return await self._deliver(
            Incoming(
                self.platform, self.user, text=text, private=self.private, ephemeral=self.ephemeral
            )
        )

    async def press(self, label: str) -> list[Reply]:
        """Press the button whose label contains ``label`` in the latest message with buttons."""
        return await self.press_button(self.button(label))

    async def press_button(self, button: Button) -> list[Reply]:
        return await self._deliver(
            Incoming(
                self.platform,
                self.user,
                payload=button.payload,
                private=self.private,
                ephemeral=self.ephemeral,
            )
        )

    async def press_payload(self, payload: str) -> list[Reply]:
        return await self._deliver(Incoming(self.platform, self.user, payload=payload))

    def buttons(self) -> tuple[Button, ...]:
        for reply in reversed(self.history):
            if reply.buttons:
                return reply.buttons
        return ()

    def button(self, label: str) -> Button:
        matches = [b for b in self.buttons() if label.lower() in b.label.lower()]
        if not matches:
            labels = [b.label for b in self.buttons()]
            raise AssertionError(f"no button like {label!r} among {labels}")
        return matches[0]

    @property
    def text(self) -> str:
        """All text of the latest replies, joined."""
        return "\n".join(r.text for r in self.last)

    async def _deliver(self, incoming: Incoming) -> list[Reply]:
        self.last = await self.engine.handle(incoming)
        self.history.extend(self.last)
        return self.last
