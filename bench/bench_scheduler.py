"""Benchmark: the outbox scheduler against one APScheduler job per person.

    python bench/bench_scheduler.py             # 100,000 people, 3 runs (a few minutes)
    python bench/bench_scheduler.py --users 10000 --runs 3
    python bench/bench_scheduler.py --users 30000 --runs 5 --compare /tmp/old
        # /tmp/old: another checkout (git worktree add /tmp/old 24cff41); only the pass,
        # interleaved with this one's, on the same database, outcomes compared

1. Claim: N people in one SQLite file, every one due at the same instant (zones all
   around the world, each at its own local time). One scheduler pass plans, claims and
   hands everything to a sender that does nothing. Time (median of runs) and peak
   Python memory (tracemalloc, separate run), also with a tenth of the people, to show
   that memory does not grow with them. The floor: one plain SELECT of the due rows.
2. Start-up: the usual alternative, one APScheduler CronTrigger job per person
   (python-telegram-bot's JobQueue style) in an AsyncIOScheduler, against the single
   periodic job this project uses: time to start and memory held.
3. Pacing: a sender that records timestamps (and takes 20 ms per call, like a network
   round trip); achieved messages per second against the configured platform rate.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.scheduler import DeliveryJob
from bot.settings import Settings
from core.delivery import Dispatcher
from core.messages import Reply
from core.pacing import PACES, Pace
from storage.database import Database
from storage.migrate import migrate

AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Africa/Lagos",
)


class NullOutlet:
    records_first = True
    """Like dispatch's printed outlet: each batch is recorded, then handed over; without
    it an unpaced sender of concurrency 1 would commit once per message."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.count = 0

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        self.count += 1


class StampingOutlet:
    def __init__(self, platform: str, latency: float) -> None:
        self.platform = platform
        self.latency = latency
        self.stamps: list[float] = []

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        await asyncio.sleep(self.latency)
        self.stamps.append(time.monotonic())


# -- data -------------------------------------------------------------------------------


async def make_database(path: Path, users: int, platform: str, at: datetime = AT) -> None:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await migrate(db)
    await db.dispose()
    rng = random.Random(7)
    stamp = (at - timedelta(days=1)).replace(tzinfo=None).isoformat(" ")
    due = at.replace(tzinfo=None).isoformat(" ")
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO users (id, platform, external_id, timezone, onboarded, created_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
            (
                (i, platform, str(100_000_000 + i), ZONES[i % len(ZONES)], stamp, stamp)
                for i in range(1, users + 1)
            ),
        )
        rows = []
        for i in range(1, users + 1):
            zone = ZONES[i % len(ZONES)]
            local = at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
            rows.append((i, "affirmation", local, "daily", zone, due))
            if rng.random() < 0.3:  # some are also due a check-in at the same minute
                rows.append((i, "checkin", local, "daily", zone, due))
        conn.executemany(
            "INSERT INTO schedules (user_id, kind, local_time, days, timezone, enabled,"
            " next_due_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
            rows,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the main file: copies are whole
    conn.close()


async def one_pass(path: Path) -> tuple[float, int]:
    db = Database(f"sqlite+aiosqlite:///{path}")
    outlet = NullOutlet("bench")
    dispatcher = Dispatcher(db, [outlet], clock=lambda: AT, paces={})
    started = time.perf_counter()
    report = await dispatcher.run_pass(AT)
    elapsed = time.perf_counter() - started
    await db.dispose()
    assert report.sent == outlet.count, report
    return elapsed, outlet.count


async def plain_select(path: Path) -> float:
    started = time.perf_counter()
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT s.id, s.user_id, u.external_id FROM schedules s JOIN users u"
            " ON u.id = s.user_id WHERE s.enabled = 1 AND s.next_due_at <= ?",
            (AT.replace(tzinfo=None).isoformat(" "),),
        ).fetchall()
    assert rows
    return time.perf_counter() - started


def outcome_digest(path: Path) -> str:
    """A digest of what a pass left that a person would notice, words aside (chosen at
    random): every outbox row's person, kind, local date, status and attempts, and every
    schedule's next due instant. Two passes that agree on it planned, claimed and
    recorded the same deliveries."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT user_id, kind, local_date, status, attempts, text IS NOT NULL"
            " FROM deliveries ORDER BY user_id, kind, local_date"
        ).fetchall()
        rows += conn.execute("SELECT id, next_due_at FROM schedules ORDER BY id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def timed_pass(tree: Path, source: Path, work: Path) -> tuple[float, float, int, str]:
    """One pass over a fresh copy of ``source`` with the code of checkout ``tree``, in a
    process of its own: (seconds, CPU seconds of all its threads, deliveries, outcome
    digest)."""
    target = work / "compare.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)
    child = (
        "import asyncio, json, sys, time\n"
        "sys.path.insert(0, sys.argv[1] + '/bench'); sys.path.insert(0, sys.argv[1])\n"
        "import bench_scheduler as b\n"
        "cpu = time.process_time()\n"
        "elapsed, count = asyncio.run(b.one_pass(b.Path(sys.argv[2])))\n"
        "print(json.dumps([elapsed, time.process_time() - cpu, count]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", child, str(tree), str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    elapsed, cpu, count = json.loads(done.stdout.strip().splitlines()[-1])
    return elapsed, cpu, count, outcome_digest(target)


def compare(old: Path, source: Path, work: Path, people: int, runs: int) -> None:
    """Time this checkout's pass against ``old``'s, interleaved (old, new, old, new, ...)
    so that both see the same load, and check they leave the same outcomes."""
    new = Path(__file__).resolve().parent.parent
    results: dict[str, list[tuple[float, float, int, str]]] = {"old": [], "new": []}
    for run in range(runs):
        for name, tree in (("old", old), ("new", new)):
            results[name].append(timed_pass(tree, source, work))
            elapsed, cpu, count, digest = results[name][-1]
            print(
                f"  {name} pass {run + 1}: {count:,} deliveries in {elapsed:.2f} s"
                f" ({cpu:.2f} s CPU), outcome {digest}",
                flush=True,
            )
    digests = {r[3] for rs in results.values() for r in rs}
    wall = {k: statistics.median(r[0] for r in rs) for k, rs in results.items()}
    cpu = {k: statistics.median(r[1] for r in rs) for k, rs in results.items()}
    print()
    print(f"Old ({old}) against new, {people:,} people, {runs} runs each, interleaved, median")
    print(
        table(
            ["code", "deliveries", "seconds", "CPU seconds"],
            [
                [k, f"{results[k][0][2]:,}", f"{wall[k]:.2f}", f"{cpu[k]:.2f}"]
                for k in ("old", "new")
            ],
        )
    )
    print(
        f"new is {wall['old'] / wall['new']:.2f}x as fast ({cpu['old'] / cpu['new']:.2f}x"
        f" in CPU); outcomes {'identical' if len(digests) == 1 else 'DIFFERENT'}"
        f" ({', '.join(sorted(digests))}); load average {os.getloadavg()[0]:.2f}"
    )


def measured_memory(run: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """(peak, still held afterwards) in MB of Python allocations while ``run`` runs."""
    gc.collect()
    tracemalloc.start()
    asyncio.run(run())  # type: ignore[arg-type]
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6, current / 1e6


# -- the per-person-job alternative -------------------------------------------------------


async def jobs_per_person(users: int) -> tuple[float, int]:
    async def affirmation(user_id: int) -> None:  # what each job would do
        return None

    scheduler = AsyncIOScheduler(timezone=UTC)
    started = time.perf_counter()
    scheduler.start()
    for i in range(1, users + 1):
        zone = ZONES[i % len(ZONES)]
        local = AT.astimezone(ZoneInfo(zone))
        scheduler.add_job(
            affirmation,
            CronTrigger(hour=local.hour, minute=local.minute, timezone=zone),
            args=(i,),
            id=f"affirmation-{i}",
        )
    elapsed = time.perf_counter() - started
    count = len(scheduler.get_jobs())
    scheduler.shutdown(wait=False)
    return elapsed, count


async def one_periodic_job(path: Path) -> tuple[float, int]:
    db = Database(f"sqlite+aiosqlite:///{path}")
    started = time.perf_counter()
    settings = Settings(scheduler_interval_seconds=30)
    job = DeliveryJob(db, [NullOutlet("bench")], settings, clock=lambda: AT)
    job.start(first_run_in=3600)  # start-up only: no pass during the measurement
    elapsed = time.perf_counter() - started
    await job.stop()
    await db.dispose()
    return elapsed, 1


# -- pacing -------------------------------------------------------------------------------


async def pacing(path: Path, platform: str, pace: Pace, messages: int) -> tuple[float, int]:
    db = Database(f"sqlite+aiosqlite:///{path}")
    outlet = StampingOutlet(platform, latency=0.02)
    dispatcher = Dispatcher(db, [outlet], clock=lambda: AT, paces={platform: pace})
    await dispatcher.run_pass(AT)
    await db.dispose()
    stamps = outlet.stamps
    assert len(stamps) >= messages, (len(stamps), messages)
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]), len(stamps)


# -- report -------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pacing-seconds", type=float, default=6.0)
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="time only the pass, against another checkout's, interleaved",
    )
    args = parser.parse_args()
    n, small = args.users, max(args.users // 10, 1)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        master, master_small = work / "master.db", work / "small.db"
        print(f"preparing {n:,} people in one SQLite file ...", flush=True)
        asyncio.run(make_database(master, n, "bench"))
        asyncio.run(make_database(master_small, small, "bench"))
        if args.compare is not None:
            compare(args.compare.resolve(), master, work, n, args.runs)
            return

        def fresh(source: Path) -> Path:
            target = work / "run.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copy(source, target)
            return target

        claim_times, delivered = [], 0
        for run in range(args.runs):
            elapsed, delivered = asyncio.run(one_pass(fresh(master)))
            claim_times.append(elapsed)
            print(f"  pass {run + 1}: {delivered:,} deliveries in {elapsed:.2f} s", flush=True)
        floor = statistics.median(
            asyncio.run(plain_select(fresh(master))) for _ in range(args.runs)
        )
        peak_big, _ = measured_memory(lambda: one_pass(fresh(master)))
        peak_small, _ = measured_memory(lambda: one_pass(fresh(master_small)))

        starts_jobs, starts_one = [], []
        for _ in range(args.runs):
            starts_jobs.append(asyncio.run(jobs_per_person(n))[0])
            starts_one.append(asyncio.run(one_periodic_job(fresh(master)))[0])
        held_jobs, _ = measured_memory(lambda: jobs_per_person(n))
        held_one, _ = measured_memory(lambda: one_periodic_job(fresh(master)))

        rates = []
        for platform in ("telegram", "discord"):
            pace = PACES[platform]
            messages = int(pace.rate * args.pacing_seconds) if pace.rate else 100
            path = work / f"pace-{platform}.db"
            asyncio.run(make_database(path, messages, platform))
            achieved, sent = asyncio.run(pacing(path, platform, pace, messages))
            rates.append((platform, pace, achieved, sent))

    claim = statistics.median(claim_times)
    print()
    print(f"Claim and hand off everything due at one instant ({args.runs} runs, median)")
    print(
        table(
            ["what", "people", "deliveries", "seconds", "per second", "peak MB", "x floor"],
            [
                [
                    "scheduler pass",
                    f"{n:,}",
                    f"{delivered:,}",
                    f"{claim:.2f}",
                    f"{delivered / claim:,.0f}",
                    f"{peak_big:.1f}",
                    f"{claim / floor:.1f}",
                ],
                ["scheduler pass", f"{small:,}", "", "", "", f"{peak_small:.1f}", ""],
                ["plain SELECT (floor)", f"{n:,}", "", f"{floor:.2f}", "", "", "1.0"],
            ],
        )
    )
    jobs, one = statistics.median(starts_jobs), statistics.median(starts_one)
    print()
    print(f"Start-up for {n:,} people ({args.runs} runs, median; baseline: a job per person)")
    print(
        table(
            ["approach", "jobs", "start-up s", "x baseline", "peak MB", "x baseline"],
            [
                [
                    "APScheduler job per person",
                    f"{n:,}",
                    f"{jobs:.2f}",
                    "1",
                    f"{held_jobs:.1f}",
                    "1",
                ],
                [
                    "one periodic job + outbox",
                    "1",
                    f"{one:.4f}",
                    f"{one / jobs:.4f}",
                    f"{held_one:.2f}",
                    f"{held_one / held_jobs:.4f}",
                ],
            ],
        )
    )
    print()
    print("Pacing (sender takes 20 ms per message)")
    print(
        table(
            ["platform", "configured /s", "concurrency", "messages", "achieved /s", "ratio"],
            [
                [
                    p,
                    f"{pace.rate:.0f}",
                    pace.concurrency,
                    sent,
                    f"{got:.1f}",
                    f"{got / pace.rate:.1%}",
                ]
                for p, pace, got, sent in rates
                if pace.rate
            ],
        )
    )


if __name__ == "__main__":
    main()
