"""The terminal chat is a platform like the others: scheduled messages arrive in the
open chat at their time, and what ``dispatch`` printed while the chat was closed is
shown at its next start, once, with buttons that work."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.terminal.adapter import TerminalChat
from bot.terminal.deliveries import TerminalDeliveries
from core import content
from core.engine import Engine
from core.outbox import DeliverySettings
from storage.database import Database
from storage.models import Delivery
from tests.conftest import FakeClock
from tests.test_cli import messages, run_bot


async def test_an_open_chat_shows_its_scheduled_message_at_its_time(
    engine: Engine, db: Database, clock: FakeClock
):
    out = io.StringIO()
    job = TerminalDeliveries(db, "sam", settings=DeliverySettings(), interval=0.01, clock=clock)
    chat = TerminalChat(engine, "sam", stdout=out, deliveries=job)
    for line in ("/timezone UTC", "/affirmations 10:30", "/checkins off"):
        await chat.handle_line(line)
    await job.start(chat)
    before = out.getvalue()
    clock.advance(minutes=31)
    for _ in range(500):
        async with db.read() as session:
            rows = (await session.scalars(select(Delivery))).all()
        if rows and rows[0].shown_at is not None:
            break
        await asyncio.sleep(0.02)  # the chat's job runs every 0.01 s
    await job.stop()
    (row,) = rows
    assert row.status == "sent" and row.kind == "affirmation"
    shown = out.getvalue()[len(before) :]
    assert shown.startswith(f"bot> {row.text.splitlines()[0]}")
    assert content.text("terminal.while_away_one") not in shown


def _next_checkin_instant(now: datetime) -> datetime:
    """The next Monday or Thursday, 18:00 UTC, after ``now``."""
    day = now.date() + timedelta(days=1)
    while day.weekday() not in (0, 3):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 18, 0, tzinfo=UTC)


@pytest.mark.slow
def test_what_dispatch_printed_is_shown_at_the_next_start_with_working_buttons(
    tmp_path: Path,
):
    setup = run_bot(["chat", "--user", "sam"], tmp_path, "/timezone UTC\n/checkins mon,thu 18:00\n")
    assert setup.returncode == 0, setup.stderr
    at = _next_checkin_instant(datetime.now(UTC))
    stamp = at.isoformat().replace("+00:00", "Z")
    printed = run_bot(["dispatch", "--now", stamp, "--json"], tmp_path)
    assert '"kind": "checkin"' in printed.stdout, printed.stderr

    opened = run_bot(["chat", "--user", "sam"], tmp_path, "1\n")
    assert opened.returncode == 0, opened.stderr
    shown = messages(opened.stdout)
    assert shown[0][0] == content.text("terminal.while_away_one")
    checkin_buttons = shown[1][1]
    assert checkin_buttons, "the check-in is shown with its buttons"
    answer = shown[2][0]
    assert not any(answer.startswith(w[:20]) for w in content.texts("engine.fallback"))
    assert not answer.startswith("There's no button")

    again = run_bot(["chat", "--user", "sam"], tmp_path, "")
    assert content.text("terminal.while_away_one") not in again.stdout
