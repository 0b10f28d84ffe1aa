"""The terminal chat: the engine on stdin/stdout, in the transcript format of
docs/DESIGN.md (bot/terminal/render.py). An input line that is only a number presses
button n of the latest message that had buttons. Files (chart, export) are written to
the working directory, named per person and date, never over an existing file.
Scheduled messages for the person are shown in the chat (bot/terminal/deliveries.py).
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.terminal.render import render
from core import content
from core.engine import Engine
from core.messages import Button, Incoming, Platform, Reply

if TYPE_CHECKING:
    from bot.terminal.deliveries import TerminalDeliveries

OWNER_ONLY = 0o600
"""Mode of the files the chat writes for a person."""

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")
"""Characters of a user name that may not appear in a file name."""


class TerminalChat:
    def __init__(
        self,
        engine: Engine,
        user: str,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        files_dir: Path | None = None,
        deliveries: TerminalDeliveries | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        """``deliveries``: the chat's own delivery job (scheduled messages shown in the
        chat); None: none (tests of the transcript alone). ``today``: the local date in
        the names of saved files."""
        self._engine = engine
        self._user = user
        self._in = stdin or sys.stdin
        self._out = stdout or sys.stdout
        self._files = files_dir or Path.cwd()
        self._buttons: tuple[Button, ...] = ()
        self._deliveries = deliveries
        self._today = today

    async def run(self) -> None:
        """Until end of input: what was missed and what is due first, then each line."""
        if self._in.isatty():
            self._print([Reply(content.text("terminal.hello"))])
        if self._deliveries is not None:
            await self._deliveries.start(self)
        try:
            while True:
                line = await asyncio.to_thread(self._in.readline)
                if not line:
                    return
                await self.handle_line(line.rstrip("\r\n"))
        finally:
            if self._deliveries is not None:
                await self._deliveries.stop()

    def show(self, replies: Sequence[Reply]) -> None:
        """Print replies that nobody asked for just now (scheduled messages)."""
        self._print(replies)

    async def handle_line(self, line: str) -> None:
        incoming = self._incoming(line)
        if incoming is None:
            number = line.strip()
            self._print([Reply(content.text("terminal.no_button", number=number))])
            return
        self._print(await self._engine.handle(incoming))

    def _incoming(self, line: str) -> Incoming | None:
        stripped = line.strip()
        if stripped.isascii() and stripped.isdigit() and len(stripped) < 6:
            number = int(stripped)
            if 1 <= number <= len(self._buttons):
                payload = self._buttons[number - 1].payload
                return Incoming(Platform.TERMINAL, self._user, payload=payload)
            if self._buttons:
                return None
        return Incoming(Platform.TERMINAL, self._user, text=line)

    def _print(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            text = reply.text
            if reply.attachment is not None:
                path = self._save(reply.attachment.filename, reply.attachment.data)
                saved = content.text("terminal.file_saved", path=path)
                text = f"{text}\n{saved}" if text else saved
            self._out.write(render(text, reply.buttons))
            if reply.buttons:
                self._buttons = reply.buttons
        self._out.flush()

    def _save(self, filename: str, data: bytes) -> Path:
        """Write a file for the person (their export, their chart), named per person and
        date (``rebound-export-sam-2026-03-02.json``), never over an existing file (``-2``,
        ``-3``... when one is there already), readable by its owner only (mode 0600: it
        holds personal data)."""
        original = Path(Path(filename).name or "rebound-file")
        person = _SAFE_NAME.sub("_", self._user)[:40] or "me"
        stem = f"{original.stem}-{person}-{self._today().isoformat()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        for number in range(1, 1000):
            name = stem if number == 1 else f"{stem}-{number}"
            path = (self._files / f"{name}{original.suffix}").resolve()
            try:
                descriptor = os.open(path, flags, OWNER_ONLY)
            except FileExistsError:
                continue
            with os.fdopen(descriptor, "wb") as file:
                os.fchmod(file.fileno(), OWNER_ONLY)  # whatever the umask
                file.write(data)
            return path
        raise FileExistsError(f"too many files named {stem}* in {self._files}")
