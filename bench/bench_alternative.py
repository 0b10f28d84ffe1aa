"""Rebound beside the usual python-telegram-bot setup, by the number of registered people.

    python bench/bench_alternative.py [--users 1000,10000,100000] [--runs 3] [--messages 2000]

The alternative is what a Telegram developer builds from PTB's own examples
(``persistentconversationbot.py``, ``timerbot.py``): a ``ConversationHandler`` with
``PicklePersistence`` (defaults) keeping each person's data in ``user_data``, and at
start-up one ``JobQueue.run_daily`` job per person for their daily affirmation. The
Application runs without network: its Bot's requests go to an in-process
``BaseRequest`` that answers with canned results, and updates go in through
``application.process_update``.

Both sides hold the same data per person (name, zone, affirmation time, three moods,
two strengths) and answer the same messages (``/mood 3``, ``/strengths add ...``,
``/strengths``, ``hello``, ``/mood`` then a button press), from people picked at
random among the registered ones, one message at a time.

* start-up: PTB: load the pickle, build and initialise the Application, schedule the
  jobs, start it. Rebound: open the database (migrations checked) and build the engine.
* memory: resident set size (VmRSS) after start-up, and after the messages.
* per message: mean wall time per message over ``--messages`` messages.
* PTB save: PicklePersistence (default ``on_flush=False``) rewrites the whole pickle for
  each person whose data changed, every ``update_interval`` (60 s); the figure is one
  such rewrite. Rebound's writes are in its per-message figure.

Each measurement runs in a fresh subprocess (so RSS is comparable); figures are
medians over ``--runs``. Data files are built once per size, outside the timings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pickle
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BOT_ID = 999_000_001
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Australia/Sydney"]
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SCRIPT = ["/mood 3", "/strengths add Calm under pressure", "/strengths", "hello", "/mood"]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def person(n: int) -> dict[str, Any]:
    """What each side keeps about person ``n``."""
    return {
        "name": f"Person {n}",
        "timezone": ZONES[n % len(ZONES)],
        "affirmation_time": f"{7 + n % 4:02d}:{(n * 7) % 60:02d}",
        "moods": [
            {"score": 1 + (n + k) % 5, "note": None, "at": NOW - timedelta(days=k + 1)}
            for k in range(3)
        ],
        "strengths": [f"Strength {n}a: listening", f"Strength {n}b: persistence"],
    }


# -- data files (built once per size) -------------------------------------------------


def build_pickle(path: Path, users: int) -> None:
    """The file PicklePersistence(single_file=True) writes, for ``users`` people."""
    user_data = {BOT_ID + 1 + n: person(n) for n in range(users)}
    data = {
        "user_data": user_data,
        "chat_data": {},
        "bot_data": {},
        "callback_data": None,
        "conversations": {"mood": {}},
    }
    with path.open("wb") as file:
        pickle.dump(data, file)


def build_sqlite(path: Path, users: int) -> None:
    """Rebound's database with the same people: users, schedules, moods, strengths."""
    from storage.database import Database
    from storage.migrate import migrate

    async def schema() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await migrate(db)
        await db.dispose()

    asyncio.run(schema())

    def stamp(at: datetime) -> str:
        return at.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    now = stamp(NOW)
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "insert into users (id, platform, external_id, name, timezone, mood_consent, "
            "onboarded, created_at, last_seen_at) values (?, 'telegram', ?, ?, ?, 1, 1, ?, ?)",
            (
                (n + 1, str(BOT_ID + 1 + n), p["name"], p["timezone"], now, now)
                for n, p in ((n, person(n)) for n in range(users))
            ),
        )
        db.executemany(
            "insert into schedules (user_id, kind, local_time, days, timezone, enabled, "
            "next_due_at) values (?, 'affirmation', ?, 'daily', ?, 1, ?)",
            (
                (n + 1, p["affirmation_time"], p["timezone"], stamp(NOW + timedelta(hours=20)))
                for n, p in ((n, person(n)) for n in range(users))
            ),
        )
        db.executemany(
            "insert into mood_entries (user_id, score, note, created_at) values (?, ?, NULL, ?)",
            (
                (n + 1, mood["score"], stamp(mood["at"]))
                for n in range(users)
                for mood in person(n)["moods"]
            ),
        )
        db.executemany(
            "insert into strengths (user_id, text, kind, source, created_at) "
            "values (?, ?, NULL, 'self', ?)",
            ((n + 1, text, now) for n in range(users) for text in person(n)["strengths"]),
        )
    db.close()


# -- the PTB side ---------------------------------------------------------------------


def measure_ptb(data: Path, users: int, messages: int) -> dict[str, float]:
    from datetime import time as clock_time
    from zoneinfo import ZoneInfo

    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import (
        Application,
        CallbackQueryHandler,
        CommandHandler,
        ContextTypes,
        ConversationHandler,
        MessageHandler,
        PicklePersistence,
        filters,
    )
    from telegram.request import BaseRequest, RequestData

    class CannedRequest(BaseRequest):
        """Answers every Bot API call in-process; builds the request body as httpx would."""

        def __init__(self) -> None:
            self.calls = 0

        @property
        def read_timeout(self) -> float | None:
            return 5.0

        async def initialize(self) -> None:
            pass

        async def shutdown(self) -> None:
            pass

        async def do_request(
            self, url: str, method: str, request_data: RequestData | None = None, **_: Any
        ) -> tuple[int, bytes]:
            self.calls += 1
            if request_data is not None:
                request_data.json_parameters  # noqa: B018 - what a real request encodes
            name = url.rsplit("/", 1)[-1]
            params = request_data.parameters if request_data is not None else {}
            if name == "getMe":
                result: Any = {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Bench",
                    "username": "bench_bot",
                }
            elif name == "answerCallbackQuery":
                result = True
            else:
                chat_id = int(params.get("chat_id", 1))
                result = {
                    "message_id": self.calls,
                    "date": int(NOW.timestamp()),
                    "chat": {"id": chat_id, "type": "private"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bench"},
                    "text": str(params.get("text", "")),
                }
            return 200, json.dumps({"ok": True, "result": result}).encode()

    ASK = 0

    async def mood(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        moods = context.user_data.setdefault("moods", [])
        if context.args:
            moods.append({"score": int(context.args[0]), "note": None, "at": datetime.now(UTC)})
            await update.message.reply_text(f"Logged {context.args[0]}. That counts.")
            return ConversationHandler.END
        history = "\n".join(f"{m['at']:%a %d %b}: {m['score']}" for m in moods[-5:])
        keyboard = [[InlineKeyboardButton(str(n), callback_data=str(n)) for n in range(1, 6)]]
        await update.message.reply_text(
            f"Recent moods:\n{history}\nHow are you, 1-5?",
            reply_markup=InlineKeyboardMarkup(keyboard),
        )
        return ASK

    async def mood_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        context.user_data.setdefault("moods", []).append(
            {"score": int(query.data), "note": None, "at": datetime.now(UTC)}
        )
        await query.edit_message_text(f"Logged {query.data}. That counts.")
        return ConversationHandler.END

    async def strengths(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        saved = context.user_data.setdefault("strengths", [])
        if context.args and context.args[0] == "add":
            saved.append(" ".join(context.args[1:]))
            await update.message.reply_text(f"Saved. That's {len(saved)} on your list.")
            return
        listing = "\n".join(f"{n}. {text}" for n, text in enumerate(saved, 1))
        await update.message.reply_text(f"Your strengths:\n{listing}")

    async def hello(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name = context.user_data.get("name", "there")
        await update.message.reply_text(f"Hi {name}. How can I help today?")

    async def affirmation(context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(context.job.chat_id, "You are more than one rejection.")

    baseline = rss_mb()
    started = time.perf_counter()
    persistence = PicklePersistence(filepath=data)
    request = CannedRequest()
    application = (
        Application.builder()
        .token("123456:BENCH")
        .request(request)
        .get_updates_request(CannedRequest())
        .persistence(persistence)
        .build()
    )
    application.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("mood", mood)],
            states={ASK: [CallbackQueryHandler(mood_pressed)]},
            fallbacks=[],
            name="mood",
            persistent=True,
        )
    )
    application.add_handler(CommandHandler("strengths", strengths))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, hello))

    async def run() -> dict[str, float]:
        await application.initialize()  # loads the pickle
        for user_id, kept in application.user_data.items():
            at = clock_time.fromisoformat(kept["affirmation_time"])
            application.job_queue.run_daily(
                affirmation,
                at.replace(tzinfo=ZoneInfo(kept["timezone"])),
                chat_id=user_id,
                user_id=user_id,
                name=f"affirmation-{user_id}",
            )
        await application.start()
        startup = time.perf_counter() - started
        at_startup = rss_mb()
        jobs = len(application.job_queue.jobs())

        rng = random.Random(7)
        handled = 0
        update_id = 0

        def message(user_id: int, text: str) -> Update:
            nonlocal update_id
            update_id += 1
            entities = []
            if text.startswith("/"):
                length = len(text.split(" ", 1)[0])
                entities = [{"type": "bot_command", "offset": 0, "length": length}]
            payload = {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "date": int(NOW.timestamp()),
                    "chat": {"id": user_id, "type": "private"},
                    "from": {"id": user_id, "is_bot": False, "first_name": "P"},
                    "text": text,
                    "entities": entities,
                },
            }
            return Update.de_json(payload, application.bot)

        def press(user_id: int, data: str) -> Update:
            nonlocal update_id
            update_id += 1
            payload = {
                "update_id": update_id,
                "callback_query": {
                    "id": str(update_id),
                    "from": {"id": user_id, "is_bot": False, "first_name": "P"},
                    "chat_instance": "1",
                    "data": data,
                    "message": {
                        "message_id": update_id,
                        "date": int(NOW.timestamp()),
                        "chat": {"id": user_id, "type": "private"},
                        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bench"},
                        "text": "How are you, 1-5?",
                    },
                },
            }
            return Update.de_json(payload, application.bot)

        ids = list(application.user_data)
        started_messages = time.perf_counter()
        while handled < messages:
            user_id = rng.choice(ids)
            text = SCRIPT[handled % len(SCRIPT)]
            await application.process_update(message(user_id, text))
            handled += 1
            if text == "/mood":
                await application.process_update(press(user_id, "3"))
                handled += 1
        per_message = (time.perf_counter() - started_messages) / handled
        after = rss_mb()

        # One of the periodic saves: PicklePersistence rewrites the whole file for a
        # person whose data changed. Measure it for exactly one changed person.
        # (First take in what the messages changed without writing the file each time,
        # which is what the next periodic save would do, once per changed person.)
        persistence.on_flush = True
        await application.update_persistence()
        persistence.on_flush = False
        application.user_data[ids[0]].setdefault("moods", []).append({"score": 4})
        application.mark_data_for_update_persistence(user_ids=ids[0])
        saved = time.perf_counter()
        await application.update_persistence()
        save = time.perf_counter() - saved
        await application.stop()
        await application.shutdown()
        return {
            "baseline_mb": baseline,
            "rss_mb": at_startup,
            "rss_after_mb": after,
            "startup_s": startup,
            "message_ms": per_message * 1e3,
            "save_s": save,
            "jobs": jobs,
        }

    return asyncio.run(run())


# -- the Rebound side -----------------------------------------------------------------


def measure_rebound(data: Path, users: int, messages: int) -> dict[str, float]:
    import telegram  # noqa: F401 - a Telegram bot process holds PTB too, as on the PTB side

    from core.dialogs import all_dialogs
    from core.engine import Engine
    from core.messages import Incoming
    from storage.database import Database
    from storage.migrate import migrate

    baseline = rss_mb()

    async def run() -> dict[str, float]:
        started = time.perf_counter()
        db = Database(f"sqlite+aiosqlite:///{data}")
        await migrate(db)
        engine = Engine(db, all_dialogs())
        startup = time.perf_counter() - started
        at_startup = rss_mb()

        rng = random.Random(7)
        handled = 0
        started_messages = time.perf_counter()
        while handled < messages:
            user_id = str(BOT_ID + 1 + rng.randrange(users))
            text = SCRIPT[handled % len(SCRIPT)]
            replies = await engine.handle(Incoming("telegram", user_id, text=text))
            handled += 1
            if text == "/mood" and replies and replies[-1].buttons:
                pressed = replies[-1].buttons[2].payload
                await engine.handle(Incoming("telegram", user_id, payload=pressed))
                handled += 1
        per_message = (time.perf_counter() - started_messages) / handled
        after = rss_mb()
        await db.dispose()
        return {
            "baseline_mb": baseline,
            "rss_mb": at_startup,
            "rss_after_mb": after,
            "startup_s": startup,
            "message_ms": per_message * 1e3,
            "save_s": 0.0,
            "jobs": 1,
        }

    return asyncio.run(run())


# -- driver ---------------------------------------------------------------------------


def measure_in_subprocess(side: str, data: Path, users: int, messages: int) -> dict[str, float]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            side,
            "--data",
            str(data),
            "--users",
            str(users),
            "--messages",
            str(messages),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if done.returncode != 0:
        raise RuntimeError(f"{side} measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1000,10000,100000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--measure", choices=["ptb", "rebound"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        measure = measure_ptb if args.measure == "ptb" else measure_rebound
        print(json.dumps(measure(args.data, int(args.users), args.messages)))
        return

    sizes = [int(size) for size in args.users.split(",")]
    rows: list[tuple[int, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for users in sizes:
            pickle_path, sqlite_path = Path(tmp) / f"ptb-{users}.pickle", Path(tmp) / f"{users}.db"
            build_pickle(pickle_path, users)
            build_sqlite(sqlite_path, users)
            print(
                f"{users:,} people: pickle {pickle_path.stat().st_size / 1e6:.1f} MB, "
                f"SQLite {sqlite_path.stat().st_size / 1e6:.1f} MB",
                file=sys.stderr,
            )
            for side, path in (("ptb", pickle_path), ("rebound", sqlite_path)):
                runs = []
                for run in range(args.runs):
                    # The pickle is rewritten by a run; start each run from the same file.
                    if side == "ptb" and run:
                        build_pickle(pickle_path, users)
                    runs.append(measure_in_subprocess(side, path, users, args.messages))
                    print(f"  {side} run {run + 1}: {runs[-1]}", file=sys.stderr)
                rows.append(
                    (users, side, {k: statistics.median(r[k] for r in runs) for k in runs[0]})
                )

    print(f"median of {args.runs} runs, {args.messages:,} messages each, fresh process per run")
    header = (
        f"{'people':>8}  {'setup':<22}{'RSS MB':>8}{'after msgs':>11}{'start-up s':>11}"
        f"{'ms/msg':>8}{'save s':>8}"
    )
    print(header)
    names = {"ptb": "PTB + PicklePersistence", "rebound": "Rebound (SQLite)"}
    by_size: dict[int, dict[str, dict[str, float]]] = {}
    for users, side, figures in rows:
        by_size.setdefault(users, {})[side] = figures
        save = f"{figures['save_s']:>8.2f}" if side == "ptb" else f"{'-':>8}"
        print(
            f"{users:>8,}  {names[side]:<22}{figures['rss_mb']:>8.0f}"
            f"{figures['rss_after_mb']:>11.0f}"
            f"{figures['startup_s']:>11.2f}{figures['message_ms']:>8.2f}{save}"
        )
    for users, sides in by_size.items():
        if {"ptb", "rebound"} <= sides.keys():
            ratio = sides["rebound"]["rss_after_mb"] / sides["ptb"]["rss_after_mb"]
            print(f"{users:>8,} people: Rebound uses {ratio:.0%} of the alternative's memory")


if __name__ == "__main__":
    main()
