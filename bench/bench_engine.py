"""Engine throughput and latency on SQLite (and PostgreSQL), next to each raw-driver ceiling.

    python bench/bench_engine.py [--users 1000] [--messages 5] [--rate 1000] [--runs 5] [--one-core]
                                 [--postgres URL] [--pg-pool N] [--pg-threads N] [--no-sqlite]

Each run uses a fresh SQLite file and ``--users`` people who have talked to the bot
before. The mix is what people do most: log a mood, add a strength, look at the list,
say hello, press a button. Two phases:

* throughput: every person sends ``--messages`` messages back to back (waiting for each
  reply), all at once: the most messages per second the engine can take;
* latency: the same people send at an offered load of ``--rate`` messages/s in all
  (each person once every users/rate seconds, at a random phase): p50 and p99 of the
  time from a message to its replies.

Beside it, in the same process, the raw ceiling: plain ``sqlite3`` doing one read + two
writes + commit per message on the same kind of file. Figures are medians of the runs.

Per message, one at a time: the same people send ``--sequential`` messages one after
the other (CPU time of the whole process per message, and wall time), beside
python-telegram-bot's in-memory setup (ConversationHandler + PicklePersistence, from
``bench_alternative.py``) answering the same script for as many people, measured in
a fresh subprocess in the same run.

With ``--postgres URL`` (default: ``$REBOUND_TEST_POSTGRES_URL``, as ``.ci/postgres.sh
start`` prints it) the same two phases run again on PostgreSQL, each run on a fresh
database made on that server, and beside them the raw ``asyncpg`` ceiling: the same
read + two writes + commit per message, from all the people at once over a pool of as
many connections as the engine may open. ``--pg-pool N`` is the engine's ``pool_size``
(``DATABASE_POOL_SIZE``: up to 3N connections in all); ``--pg-threads N`` runs messages
on N database threads over psycopg (``DATABASE_UNIT_THREADS``; 0, the default, on
asyncpg); ``--no-sqlite`` runs the PostgreSQL part alone.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy.engine import make_url

from core.dialogs import all_dialogs
from core.engine import Engine
from core.messages import Incoming
from storage.database import Database
from storage.migrate import migrate

PG_POOL = 5
"""Database(pool_size=5) may open 3 x 5 connections in all; the raw ceiling gets as many."""


@dataclass
class Result:
    rate: float
    p50_ms: float
    p99_ms: float


@dataclass
class PerMessage:
    wall_ms: float
    cpu_ms: float


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _person(engine: Engine, user: str, messages: int, latencies: list[float]) -> None:
    script = ["/mood 3", f"/strengths add Strength of {user}", "/strengths", "hello", "/mood"]
    for n in range(messages):
        text = script[n % len(script)]
        started = time.perf_counter()
        replies = await engine.handle(Incoming("terminal", user, text=text))
        latencies.append(time.perf_counter() - started)
        if text == "/mood" and replies and replies[-1].buttons:
            started = time.perf_counter()
            await engine.handle(Incoming("terminal", user, payload=replies[-1].buttons[2].payload))
            latencies.append(time.perf_counter() - started)


async def _paced_person(
    engine: Engine, user: str, period: float, until: float, latencies: list[float]
) -> None:
    loop = asyncio.get_running_loop()
    next_at = loop.time() + random.uniform(0, period)
    n = 0
    while next_at < until:
        await asyncio.sleep(max(0.0, next_at - loop.time()))
        text = ("/mood 3", "hello", "/strengths")[n % 3]
        started = time.perf_counter()
        await engine.handle(Incoming("terminal", user, text=text))
        latencies.append(time.perf_counter() - started)
        n += 1
        next_at += period


async def engine_run(
    path: Path, users: int, messages: int, rate: float, sequential: int = 0, startup: str = "bare"
) -> tuple[Result, Result, PerMessage]:
    """(throughput phase, latency phase at the offered rate, one message at a time)."""
    return await engine_run_on(
        f"sqlite+aiosqlite:///{path}", users, messages, rate, sequential, startup
    )


async def _one_at_a_time(engine: Engine, users: int, count: int) -> PerMessage:
    script = ["/mood 3", "/strengths add Calm under pressure", "/strengths", "hello", "/mood"]
    rng = random.Random(7)
    handled = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while handled < count:
        user = f"u{rng.randrange(users)}"
        text = script[handled % len(script)]
        replies = await engine.handle(Incoming("terminal", user, text=text))
        handled += 1
        if text == "/mood" and replies and replies[-1].buttons:
            await engine.handle(Incoming("terminal", user, payload=replies[-1].buttons[2].payload))
            handled += 1
    return PerMessage(
        (time.perf_counter() - wall) / handled * 1e3, (time.process_time() - cpu) / handled * 1e3
    )


STARTUPS = ("bare", "warm", "warm-frozen")
"""What is loaded before the runs: nothing more than the engine ("bare"), the place
and date readers the bot loads at start-up ("warm"), and those frozen out of the
garbage collector's sight as the bot then does ("warm-frozen", ``bot.app.settle_memory``)."""


def start_up(startup: str) -> None:
    if startup == "bare":
        return
    from bot.app import settle_memory, warm_readers

    warm_readers()
    if startup == "warm-frozen":
        settle_memory()


async def engine_run_on(
    url: str,
    users: int,
    messages: int,
    rate: float,
    sequential: int = 0,
    startup: str = "bare",
    pool: int = PG_POOL,
    threads: int = 0,
) -> tuple[Result, Result, PerMessage]:
    db = Database(url, pool_size=pool, pg_unit_threads=threads)
    await migrate(db)
    engine = Engine(db, all_dialogs())
    start_up(startup)
    # Everyone has talked to the bot before: the runs measure returning people.
    await asyncio.gather(
        *(engine.handle(Incoming("terminal", f"u{n}", text="hi")) for n in range(users))
    )
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_person(engine, f"u{n}", messages, latencies) for n in range(users)))
    elapsed = time.perf_counter() - started
    throughput = Result(
        len(latencies) / elapsed,
        percentile(latencies, 0.5) * 1e3,
        percentile(latencies, 0.99) * 1e3,
    )

    paced: list[float] = []
    period = users / rate
    until = asyncio.get_running_loop().time() + max(3.0, 3 * period)
    started = time.perf_counter()
    await asyncio.gather(
        *(_paced_person(engine, f"u{n}", period, until, paced) for n in range(users))
    )
    elapsed = time.perf_counter() - started
    one_by_one = await _one_at_a_time(engine, users, sequential) if sequential else PerMessage(0, 0)
    await db.dispose()
    latency = Result(
        len(paced) / elapsed, percentile(paced, 0.5) * 1e3, percentile(paced, 0.99) * 1e3
    )
    return throughput, latency, one_by_one


def ptb_run(tmp: Path, users: int, messages: int) -> float:
    """python-telegram-bot's in-memory setup, ms per message (bench_alternative.py)."""
    import bench_alternative

    data = tmp / "ptb.pickle"
    bench_alternative.build_pickle(data, users)
    return bench_alternative.measure_in_subprocess("ptb", data, users, messages)["message_ms"]


def raw_run(path: Path, users: int, messages: int) -> Result:
    """The ceiling: one read + two writes + commit per message with plain sqlite3."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("pragma journal_mode=wal")
    db.execute("pragma synchronous=normal")
    db.execute("create table users (id integer primary key, name text unique, seen real)")
    db.execute("create table state (user_id integer primary key, step text)")
    db.execute("create table moods (id integer primary key, user_id integer, score integer)")
    db.executemany(
        "insert into users (name, seen) values (?, 0)", [(f"u{n}",) for n in range(users)]
    )
    latencies = []
    started = time.perf_counter()
    for n in range(users * messages):
        t0 = time.perf_counter()
        db.execute("begin immediate")
        (user_id,) = db.execute(
            "select id from users where name = ?", (f"u{n % users}",)
        ).fetchone()
        db.execute("insert into moods (user_id, score) values (?, 3)", (user_id,))
        db.execute("insert or replace into state (user_id, step) values (?, 'x')", (user_id,))
        db.execute("commit")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    db.close()
    return Result(
        len(latencies) / elapsed,
        percentile(latencies, 0.5) * 1e3,
        percentile(latencies, 0.99) * 1e3,
    )


_pg_numbers = itertools.count()


def _pg_connect_args(url: str, database: str | None = None) -> dict[str, object]:
    parsed = make_url(url)
    return {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "database": database or parsed.database,
    }


async def _pg_admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(**_pg_connect_args(url))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def pg_fresh_database(url: str) -> tuple[str, str]:
    """(name, URL) of a new, empty database on the server ``url`` points at."""
    name = f"rebound_bench_{os.getpid()}_{next(_pg_numbers)}"
    await _pg_admin(url, f"DROP DATABASE IF EXISTS {name}")
    await _pg_admin(url, f"CREATE DATABASE {name}")
    return name, make_url(url).set(database=name).render_as_string(hide_password=False)


async def pg_drop_database(url: str, name: str) -> None:
    await _pg_admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def pg_engine_run(
    url: str, users: int, messages: int, rate: float, pool: int = PG_POOL, threads: int = 0
) -> tuple[Result, Result, PerMessage]:
    name, fresh = await pg_fresh_database(url)
    try:
        return await engine_run_on(fresh, users, messages, rate, pool=pool, threads=threads)
    finally:
        await pg_drop_database(url, name)


async def pg_raw_run(url: str, users: int, messages: int, connections: int) -> Result:
    """The ceiling: one read + two writes + commit per message with plain asyncpg, every
    person at once, over as many connections as the engine's pool may open."""
    import asyncpg

    name, _ = await pg_fresh_database(url)
    pool = await asyncpg.create_pool(
        **_pg_connect_args(url, name), min_size=connections, max_size=connections
    )
    try:
        async with pool.acquire() as db:
            await db.execute(
                "create table users (id serial primary key, name text unique, seen real);"
                "create table state (user_id integer primary key, step text);"
                "create table moods (id serial primary key, user_id integer, score integer)"
            )
            await db.executemany(
                "insert into users (name, seen) values ($1, 0)", [(f"u{n}",) for n in range(users)]
            )
        latencies: list[float] = []

        async def person(n: int) -> None:
            for _ in range(messages):
                t0 = time.perf_counter()
                async with pool.acquire() as db, db.transaction():
                    user_id = await db.fetchval("select id from users where name = $1", f"u{n}")
                    await db.execute("insert into moods (user_id, score) values ($1, 3)", user_id)
                    await db.execute(
                        "insert into state (user_id, step) values ($1, 'x') "
                        "on conflict (user_id) do update set step = excluded.step",
                        user_id,
                    )
                latencies.append(time.perf_counter() - t0)

        started = time.perf_counter()
        await asyncio.gather(*(person(n) for n in range(users)))
        elapsed = time.perf_counter() - started
    finally:
        await pool.close()
        await pg_drop_database(url, name)
    return Result(
        len(latencies) / elapsed,
        percentile(latencies, 0.5) * 1e3,
        percentile(latencies, 0.99) * 1e3,
    )


def median(results: list[Result]) -> Result:
    return Result(
        statistics.median(r.rate for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
    )


def runner(name: str) -> asyncio.Runner:
    """An ``asyncio.Runner`` on the event loop ``name``: "default" is the bot's own choice
    (``bot.loop.runner``: uvloop where it is installed), "asyncio" the standard loop."""
    from bot.loop import runner as bot_runner

    if name == "default":
        return bot_runner()
    return bot_runner(prefer_uvloop=name == "uvloop")


def loop_name(name: str) -> str:
    """The event loop ``runner(name)`` runs on: "uvloop" or "asyncio"."""
    with runner(name) as loop_runner:
        return type(loop_runner.get_loop()).__module__.split(".")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--rate", type=float, default=1000.0, help="offered msg/s for latency")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sequential", type=int, default=2000, help="messages one at a time (0: skip)"
    )
    parser.add_argument("--one-core", action="store_true", help="pin the process to one CPU")
    parser.add_argument(
        "--startup",
        choices=STARTUPS,
        default="bare",
        help="what is loaded first: bare (the engine), warm (+ the readers the bot loads), "
        "warm-frozen (+ gc.freeze, as the bot does)",
    )
    parser.add_argument(
        "--loop",
        choices=("default", "asyncio", "uvloop"),
        default="default",
        help="event loop for the engine (default: what the bot uses, bot.loop.runner)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("REBOUND_TEST_POSTGRES_URL", ""),
        help="PostgreSQL server URL (default: $REBOUND_TEST_POSTGRES_URL); empty: SQLite only",
    )
    parser.add_argument(
        "--pg-pool", type=int, default=PG_POOL, help="the engine's pool_size on PostgreSQL"
    )
    parser.add_argument(
        "--pg-threads",
        type=int,
        default=0,
        help="PostgreSQL: messages on N psycopg threads (0: on asyncpg, the default)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="run the PostgreSQL part only")
    args = parser.parse_args()
    if args.one_core and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if args.no_sqlite:
        postgres(args)
        return

    throughputs, latencies, raws = [], [], []
    walls, cpus, ptbs = [], [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            raws.append(raw_run(Path(tmp) / "raw.db", args.users, args.messages))
            with runner(args.loop) as loop_runner:
                throughput, latency, one = loop_runner.run(
                    engine_run(
                        Path(tmp) / "engine.db",
                        args.users,
                        args.messages,
                        args.rate,
                        args.sequential,
                        args.startup,
                    )
                )
            throughputs.append(throughput)
            latencies.append(latency)
            if args.sequential:
                walls.append(one.wall_ms)
                cpus.append(one.cpu_ms)
                ptbs.append(ptb_run(Path(tmp), args.users, args.sequential))
        print(
            f"run {run + 1}: engine {throughput.rate:,.0f} msg/s, raw {raws[-1].rate:,.0f} msg/s, "
            f"p99 at {args.rate:,.0f} msg/s offered {latency.p99_ms:.1f} ms"
            + (
                f", one at a time {one.wall_ms:.2f} ms ({one.cpu_ms:.2f} ms CPU), "
                f"PTB in memory {ptbs[-1]:.2f} ms"
                if args.sequential
                else ""
            ),
            file=sys.stderr,
        )
    top, paced, raw = median(throughputs), median(latencies), median(raws)
    cores = "1 core" if args.one_core else f"{len(os.sched_getaffinity(0))} cores"
    print(
        f"{args.users} users, median of {args.runs} runs, {cores}, "
        f"{loop_name(args.loop)} event loop, "
        f"start-up: {args.startup}"
    )
    print(f"{'':40}{'msg/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    rows = [
        ("engine, all users flat out", top),
        (f"engine, {args.rate:,.0f} msg/s offered", paced),
        ("raw sqlite3 ceiling (1 read+2 writes)", raw),
    ]
    for label, result in rows:
        print(f"{label:40}{result.rate:>10,.0f}{result.p50_ms:>10.2f}{result.p99_ms:>10.2f}")
    print(f"engine top rate / raw ceiling: {top.rate / raw.rate:.1%}")
    if args.sequential:
        wall, cpu, ptb = statistics.median(walls), statistics.median(cpus), statistics.median(ptbs)
        print(
            f"one message at a time: engine {wall:.2f} ms ({cpu:.2f} ms CPU), "
            f"PTB in-memory setup {ptb:.2f} ms; engine / PTB {wall / ptb:.1f}x wall, "
            f"{cpu / ptb:.1f}x CPU"
        )
    if args.postgres:
        postgres(args)


def postgres(args: argparse.Namespace) -> None:
    throughputs, latencies, raws = [], [], []
    for run in range(args.runs):
        raws.append(
            asyncio.run(pg_raw_run(args.postgres, args.users, args.messages, args.pg_pool * 3))
        )
        with runner(args.loop) as loop_runner:
            throughput, latency, _ = loop_runner.run(
                pg_engine_run(
                    args.postgres,
                    args.users,
                    args.messages,
                    args.rate,
                    args.pg_pool,
                    args.pg_threads,
                )
            )
        throughputs.append(throughput)
        latencies.append(latency)
        print(
            f"postgresql run {run + 1}: engine {throughput.rate:,.0f} msg/s, "
            f"raw {raws[-1].rate:,.0f} msg/s, "
            f"p99 at {args.rate:,.0f} msg/s offered {latency.p99_ms:.1f} ms",
            file=sys.stderr,
        )
    top, paced, raw = median(throughputs), median(latencies), median(raws)
    print(
        f"PostgreSQL ({make_url(args.postgres).host}), {args.users} users, "
        f"median of {args.runs} runs, pool_size {args.pg_pool}, "
        f"unit threads {args.pg_threads or 'none (asyncpg)'}, event loop: {loop_name(args.loop)}"
    )
    print(f"{'':40}{'msg/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    rows = [
        ("engine, all users flat out", top),
        (f"engine, {args.rate:,.0f} msg/s offered", paced),
        (f"raw asyncpg ceiling ({args.pg_pool * 3} connections)", raw),
    ]
    for label, result in rows:
        print(f"{label:40}{result.rate:>10,.0f}{result.p50_ms:>10.2f}{result.p99_ms:>10.2f}")
    print(f"engine top rate / raw ceiling: {top.rate / raw.rate:.1%}")


if __name__ == "__main__":
    main()
