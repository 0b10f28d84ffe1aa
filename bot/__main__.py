"""Command line (fixed by docs/DESIGN.md)::

python -m bot                      every adapter whose token is set, plus the scheduler;
                                   with no token set, the terminal chat
python -m bot chat [--user ID]     terminal chat on stdin/stdout
python -m bot dispatch [--now ISO8601] [--json] [--commit]
python -m bot classify [--safety] [TEXT ...]
python -m bot train                retrain the text classifier from the labelled examples
python -m bot migrate
python -m bot sync-commands        publish the slash commands now (Discord), whatever
                                   their stored hash says
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import io
import logging
import os
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from bot import logs
from bot.settings import Settings, default_database_path

logger = logging.getLogger(__name__)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "me")


def _instant(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {value!r}") from error
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m bot",
        description="Rebound support bot. With no command: every platform whose token is "
        "set (TELEGRAM_TOKEN, DISCORD_TOKEN), plus the scheduler; with no token set, the "
        "terminal chat.",
    )
    sub = root.add_subparsers(dest="command")
    chat = sub.add_parser("chat", help="terminal chat on stdin/stdout")
    chat.add_argument("--user", default=None, help="user id (default: the OS user name)")
    dispatch = sub.add_parser("dispatch", help="one scheduler pass, then exit")
    dispatch.add_argument("--now", type=_instant, default=None, help="the instant (ISO 8601)")
    dispatch.add_argument("--json", action="store_true", help="one JSON object per delivery")
    dispatch.add_argument(
        "--commit",
        action="store_true",
        help="with --now ahead of the database's clock: move the live schedules too",
    )
    classify = sub.add_parser("classify", help="print the intent of each text")
    classify.add_argument(
        "--safety", action="store_true", help="print the safety tier instead: crisis, ask or none"
    )
    classify.add_argument("texts", nargs="*", help="texts to classify (default: stdin lines)")
    sub.add_parser("train", help="retrain the text classifier from the labelled examples")
    sub.add_parser("migrate", help="bring the database schema up to date")
    sub.add_parser(
        "sync-commands",
        help="publish the slash commands of every platform whose token is set (Discord)",
    )
    return root


def _secrets(settings: Settings) -> list[str]:
    """Every registered platform's secret settings that are set (bot/platforms.py)."""
    from bot.platforms import builtin

    return builtin().secrets(settings)


def _quiet_late_thread_errors(args: threading.ExceptHookArgs) -> None:
    """A driver thread (aiosqlite's) that finishes after the event loop closed, as when
    start-up fails at once, raises "Event loop is closed" on its own; the command's
    outcome is already decided and said, so that is logged, not printed as a traceback.
    Anything else goes to Python's usual hook."""
    if isinstance(args.exc_value, RuntimeError) and "Event loop is closed" in str(args.exc_value):
        logger.debug("a driver thread finished after the event loop closed")
        return
    threading.__excepthook__(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names; returns the exit code. A database that cannot be
    opened or migrated ends any command with one line on stderr and exit code 1."""
    from bot.app import StartupFailed

    threading.excepthook = _quiet_late_thread_errors
    try:
        return _main(argv)
    except StartupFailed as failure:
        if str(failure):
            print(f"rebound: {failure}", file=sys.stderr, flush=True)
        return 1


def _main(argv: Sequence[str] | None) -> int:
    from bot.app import StartupFailed

    args = parser().parse_args(argv)
    _tolerant_stdin()
    try:
        settings = Settings()
    except ValidationError as error:
        raise StartupFailed(_settings_problem(error)) from None
    command = args.command or ("run" if settings.has_platform_token else "chat")
    # LOG_LEVEL from the environment or .env counts; the one-shot commands are quiet
    # (warnings only) unless it is set, so that their output stays readable.
    quiet = command in ("chat", "classify", "dispatch") and not settings.log_level_set
    logs.configure("WARNING" if quiet else settings.log_level, _secrets(settings))

    if command == "classify":
        return _classify(args.texts, safety=args.safety)
    if command == "train":
        return _train()
    if command == "migrate":
        return asyncio.run(_migrate(settings))
    if command == "sync-commands":
        return asyncio.run(_sync_commands(settings))
    if command in ("chat", "run") and settings.database_is_default:
        # Said on stderr: stdout is the chat transcript a script may read.
        print(
            f"Rebound keeps its data in {default_database_path()} (set DATABASE_URL to change)",
            file=sys.stderr,
            flush=True,
        )
    from bot.loop import runner

    if command == "chat":
        with runner(prefer_uvloop=settings.event_loop == "uvloop") as loop_runner:
            return loop_runner.run(_chat(settings, getattr(args, "user", None) or _os_user()))
    if command == "dispatch":
        now = args.now or datetime.now(UTC)
        return asyncio.run(_dispatch(settings, now, as_json=args.json, commit=args.commit))
    from bot.app import run_bots

    with runner(prefer_uvloop=settings.event_loop == "uvloop") as loop_runner:
        loop_runner.run(run_bots(settings))
    return 0


def _settings_problem(error: ValidationError) -> str:
    """The first invalid setting, by its environment name, and why (never its value)."""
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first.get("loc") else "a setting"
    return f"{name} is not valid ({first['msg']}); see .env.example"


def _tolerant_stdin() -> None:
    """Bytes on stdin that are not valid in its encoding become U+FFFD instead of ending
    the chat (or ``classify``) with a UnicodeDecodeError."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")


def _classify(texts: list[str], *, safety: bool) -> int:
    from core import safety as safety_check
    from core.intents import classify

    label = (lambda t: safety_check.tier(t).value) if safety else (lambda t: classify(t).value)
    lines = texts if texts else (line.rstrip("\r\n") for line in sys.stdin)
    for text in lines:
        print(label(text), flush=True)
    return 0


def _train() -> int:
    from core import classifier

    try:
        report = classifier.train()
    except ImportError:
        print("training needs scikit-learn: pip install 'rebound[train]'", file=sys.stderr)
        return 1
    for name, (examples, features) in report.items():
        print(f"{name}: {examples} examples, {features} features")
    return 0


async def _migrate(settings: Settings) -> int:
    from bot.app import StartupFailed
    from bot.startup import DATABASE_ERRORS, explain_database_error
    from storage.database import Database
    from storage.migrate import migrate

    settings.prepare_database_folder()
    db = Database(settings.database_url)
    try:
        await migrate(db)
    except DATABASE_ERRORS as error:
        raise StartupFailed(explain_database_error(error, settings.database_url)) from None
    finally:
        await db.dispose()
    print("database is up to date")
    return 0


async def _sync_commands(settings: Settings) -> int:
    """Publish the command menu of every platform that is on and has one to publish;
    returns the exit code (1 when none is on, or one refused: said on stderr)."""
    from bot.platforms import builtin

    publishing = [p for p in builtin().enabled(settings) if p.publish_commands is not None]
    if not publishing:
        print("sync-commands: no platform with slash commands is set up", file=sys.stderr)
        return 1
    status = 0
    for platform in publishing:
        assert platform.publish_commands is not None
        try:
            count = await platform.publish_commands(settings)
        except Exception as error:  # the libraries' errors carry no token (they redact)
            print(f"sync-commands: {platform.name}: {error}", file=sys.stderr, flush=True)
            status = 1
            continue
        print(f"{platform.name}: {count} commands published", flush=True)
    return status


async def _chat(settings: Settings, user: str) -> int:
    """The terminal chat; with the scheduler on (the default) it also delivers this
    person's scheduled messages into the chat (bot/terminal/deliveries.py)."""
    from bot.app import open_app
    from bot.scheduler import delivery_settings
    from bot.terminal.adapter import TerminalChat
    from bot.terminal.deliveries import TerminalDeliveries
    from core.engine import utc_now

    async with open_app(settings) as app:
        job = None
        if settings.scheduler_enabled:
            job = TerminalDeliveries(
                app.db,
                user,
                settings=delivery_settings(settings),
                interval=settings.scheduler_interval_seconds,
                clock=utc_now,
            )
        await TerminalChat(app.engine, user, deliveries=job).run()
    return 0


async def _dispatch(settings: Settings, now: datetime, *, as_json: bool, commit: bool) -> int:
    from bot.dispatch import run_once

    return await run_once(settings, now, as_json=as_json, commit=commit)


if __name__ == "__main__":
    sys.exit(main())
