"""Several workers on one database: each scheduled message goes out once, and one
person's messages stay in order when they reach two workers at once.

Two ``Database`` objects stand in for two workers in one process (each has its own
connections, so the database sees two clients); the dispatch test also runs two real
``python -m bot dispatch`` processes. Every test runs on SQLite and, when
``REBOUND_TEST_POSTGRES_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from core.delivery import Dispatcher
from core.dialogs import all_dialogs
from core.engine import Engine
from core.messages import Incoming, Reply
from storage.database import Database
from storage.models import Delivery, Schedule, Strength, User
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parent.parent
DUE = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
PEOPLE = 5_000


class CountingOutlet:
    """Sends nothing; counts who it was asked to send to. Yields on every send, so two
    workers in one process interleave."""

    platform = "terminal"

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        await asyncio.sleep(0)
        self.sent.extend(user_id for _ in replies)


async def _seed_due_people(db: Database, count: int) -> None:
    """``count`` terminal users, each with a daily 09:00 UTC affirmation due at DUE."""
    async with db.write() as session:
        await session.execute(
            insert(User),
            [
                {
                    "platform": "terminal",
                    "external_id": f"w{n}",
                    "timezone": "UTC",
                    "onboarded": True,
                    "created_at": DUE,
                    "last_seen_at": DUE,
                }
                for n in range(count)
            ],
        )
        ids = (await session.scalars(select(User.id))).all()
        await session.execute(
            insert(Schedule),
            [
                {
                    "user_id": user_id,
                    "kind": "affirmation",
                    "local_time": "09:00",
                    "days": "daily",
                    "timezone": "UTC",
                    "enabled": True,
                    "next_due_at": DUE,
                }
                for user_id in ids
            ],
        )


async def _outbox_counts(db: Database) -> tuple[Counter[str], int, int]:
    """(rows per status, distinct people in the outbox, affirmations recorded as seen:
    outbox rows that carry the id of the affirmation they sent)."""
    async with db.read() as session:
        statuses = Counter(
            dict(
                (
                    await session.execute(
                        select(Delivery.status, func.count()).group_by(Delivery.status)
                    )
                ).all()
            )
        )
        people = await session.scalar(select(func.count(func.distinct(Delivery.user_id))))
        seen = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.content_id.is_not(None))
        )
    return statuses, people or 0, seen or 0


@pytest.mark.slow
async def test_two_dispatch_workers_send_each_of_5000_messages_once(db: Database, db_url: str):
    await _seed_due_people(db, PEOPLE)
    other = Database(db_url)
    outlets = [CountingOutlet(), CountingOutlet()]
    try:
        workers = [Dispatcher(db, [outlets[0]], clock=lambda: DUE)]
        workers.append(Dispatcher(other, [outlets[1]], clock=lambda: DUE))
        reports = await asyncio.gather(*(worker.run_pass(DUE) for worker in workers))
    finally:
        await other.dispose()

    sent = outlets[0].sent + outlets[1].sent
    assert len(sent) == PEOPLE
    assert len(set(sent)) == PEOPLE
    assert sum(r.planned for r in reports) == PEOPLE
    assert sum(r.sent for r in reports) == PEOPLE
    statuses, people, seen = await _outbox_counts(db)
    assert statuses == Counter({"sent": PEOPLE})
    assert (people, seen) == (PEOPLE, PEOPLE)


def _dispatch_process(db_url: str, cwd: Path) -> subprocess.Popen[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "LOG_"))
    }
    env.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT))
    now = DUE.isoformat().replace("+00:00", "Z")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "dispatch", "--now", now, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    )


@pytest.mark.slow
async def test_two_dispatch_processes_print_each_of_5000_messages_once(
    db: Database, db_url: str, tmp_path: Path
):
    await _seed_due_people(db, PEOPLE)
    processes = [_dispatch_process(db_url, tmp_path) for _ in range(2)]
    outputs = []
    for process in processes:
        out, err = await asyncio.to_thread(process.communicate, timeout=120)
        assert process.returncode == 0, err
        outputs.append([json.loads(line) for line in out.splitlines() if line.strip()])

    printed = [d["user"] for lines in outputs for d in lines]
    assert len(printed) == PEOPLE
    assert len(set(printed)) == PEOPLE
    assert {d["kind"] for lines in outputs for d in lines} == {"affirmation"}
    statuses, people, seen = await _outbox_counts(db)
    assert statuses == Counter({"sent": PEOPLE})
    assert (people, seen) == (PEOPLE, PEOPLE)


def _engines(db: Database, other: Database, clock: FakeClock) -> list[Engine]:
    return [Engine(db, all_dialogs(), clock=clock), Engine(other, all_dialogs(), clock=clock)]


async def test_one_persons_messages_on_two_workers_run_one_after_the_other(
    db: Database, db_url: str, clock: FakeClock
):
    other = Database(db_url)
    try:
        engines = _engines(db, other, clock)
        await engines[0].handle(Incoming("terminal", "ann", text="hello"))
        sends = [
            engines[n % 2].handle(Incoming("terminal", "ann", text=f"/strengths add s{n}"))
            for n in range(20)
        ]
        replies = await asyncio.gather(*sends)
    finally:
        await other.dispose()

    # Each add saw every add before it: the list lengths are 1..20, none repeated.
    counts = sorted(
        int(re.search(r"(\d+) on your list", r[0].text).group(1))  # type: ignore[union-attr]
        for r in replies
    )
    assert counts == list(range(1, 21))
    async with db.read() as session:
        stored = (await session.scalars(select(Strength.text))).all()
    assert sorted(stored) == sorted(f"s{n}" for n in range(20))


async def test_a_new_persons_first_messages_on_two_workers_make_one_person(
    db: Database, db_url: str, clock: FakeClock
):
    other = Database(db_url)
    try:
        engines = _engines(db, other, clock)
        # Both workers already hold open connections, so the first messages really race.
        await asyncio.gather(
            *(e.handle(Incoming("terminal", f"warm{n}", text="hi")) for n, e in enumerate(engines))
        )
        first = await asyncio.gather(
            *(
                engines[n % 2].handle(Incoming("terminal", f"new{p}", text="/mood 4"))
                for p in range(10)
                for n in range(2)
            )
        )
    finally:
        await other.dispose()

    assert all("went wrong" not in reply.text for replies in first for reply in replies)
    async with db.read() as session:
        rows = (
            await session.execute(select(User.external_id, func.count()).group_by(User.external_id))
        ).all()
    assert sorted(r for r in rows if r[0].startswith("new")) == [(f"new{p}", 1) for p in range(10)]
