"""``python -m bot dispatch``: one scheduler pass at an instant, then exit.

The operator's tool, and how outside checks test the schedule. It plans everything due
at ``now`` for every platform, but sends only to terminal-chat users, by printing them:
with ``--json`` one JSON object per line and delivery (``platform``, ``user``, ``kind``,
``text``, plus ``local_date`` and ``buttons``), otherwise one readable block each.
Messages for Telegram and Discord users wait in the outbox for the running bot.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TextIO

from bot.app import open_app
from bot.scheduler import delivery_settings
from bot.settings import Settings
from core import clock_rule
from core.delivery import Dispatcher
from core.messages import Platform, Reply
from storage.repositories import scheduler_clock

logger = logging.getLogger(__name__)


class PrintedOutlet:
    """The terminal chat's outlet: a delivery is printed, since nobody holds the chat open."""

    platform = Platform.TERMINAL.value
    records_first = True
    """The dispatcher records each batch as sent before printing it: a crash can leave a
    message recorded but unprinted (the terminal chat shows it), never printed twice."""

    def __init__(self, out: TextIO, *, as_json: bool) -> None:
        self._out = out
        self._as_json = as_json

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        for reply in replies:
            kind = reply.meta.get("kind", "message")
            if self._as_json:
                record = {
                    "platform": self.platform,
                    "user": user_id,
                    "kind": kind,
                    "text": reply.text,
                    "local_date": reply.meta.get("local_date"),
                    "buttons": [button.label for button in reply.buttons],
                }
                self._out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                self._out.write(f"[{self.platform}:{user_id}] {kind}\n")
                for line in reply.text.split("\n"):
                    self._out.write(f"    {line}\n" if line else "\n")
                for number, button in enumerate(reply.buttons, 1):
                    self._out.write(f"  [{number}] {button.label}\n")
        self._out.flush()


async def run_once(
    settings: Settings, now: datetime, *, as_json: bool, commit: bool = False
) -> int:
    """One pass at ``now`` (aware UTC); returns the exit code (0). SIGINT / SIGTERM end
    it gracefully: what was printed is recorded, what was claimed but not printed goes
    back to pending.

    The clock rule (core/clock_rule.py): when ``now`` is more than the tolerance ahead
    of the database's own clock and ``commit`` is false, the pass is a preview: terminal
    deliveries are planned and printed, nobody's schedule moves and nothing is queued
    for Telegram or Discord, and a line on stderr says so. ``commit`` (``--commit``)
    runs a full pass at ``now`` whatever the database's clock says.
    """
    async with open_app(settings, clock=lambda: now) as app:
        dispatcher = Dispatcher(
            app.db,
            [PrintedOutlet(sys.stdout, as_json=as_json)],
            clock=lambda: now,
            settings=delivery_settings(settings),
        )
        async with app.db.read() as session:
            database_now = await scheduler_clock.database_now(session)
        if not commit and now - database_now > clock_rule.TOLERANCE:
            report = await dispatcher.run_preview(now)
            print(_preview_note(now, database_now, report.withheld), file=sys.stderr, flush=True)
        else:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, dispatcher.stop)
            try:
                report = await dispatcher.run_pass(now)
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)
    logger.info(
        "dispatch at %s: %d planned, %d printed, %d skipped",
        now.isoformat(),
        report.planned,
        report.sent,
        report.skipped,
    )
    return 0


def _preview_note(now: datetime, database_now: datetime, withheld: int) -> str:
    """The stderr line of a preview pass: what happened and how to make it real."""
    return (
        f"dispatch: {now.isoformat()} is {clock_rule.describe(now - database_now)} ahead of "
        f"the database's clock, so this was a preview: terminal deliveries printed, no "
        f"schedule moved, {withheld} Telegram/Discord deliveries not queued. "
        "Add --commit to run a real pass at that instant."
    )
