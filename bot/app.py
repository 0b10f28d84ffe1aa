"""The composition root: settings -> database -> engine -> scheduler -> adapters.

Nothing else in the project builds these; everything receives what it needs here.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.platforms import Adapter, Registry, builtin
from bot.settings import Settings
from bot.startup import DATABASE_ERRORS, explain_database_error
from core import gazetteer, sentences
from core.commands import command_names
from core.dialog import DialogGraphError, EngineSettings
from core.dialogs import all_dialogs
from core.engine import Clock, Engine, utc_now
from storage.database import Database
from storage.migrate import migrate

if TYPE_CHECKING:
    from bot.scheduler import DeliveryJob

logger = logging.getLogger(__name__)


class StartupFailed(Exception):
    """An adapter could not start (bad token, no network) or the database cannot be used:
    the process exits with 1. Its message, when it has one, is the one line to print."""


@dataclass
class App:
    settings: Settings
    db: Database
    engine: Engine
    platforms: Registry
    clock: Clock


@asynccontextmanager
async def open_app(
    settings: Settings, *, clock: Clock = utc_now, platforms: Registry | None = None
) -> AsyncIterator[App]:
    """The database (migrated), the engine and the platforms (``platforms``, default:
    ``bot.platforms.builtin()``); the database is disposed of on exit. Raises
    ``StartupFailed`` when the database cannot be opened or migrated."""
    settings.prepare_database_folder()
    db = Database(
        settings.database_url,
        pool_size=settings.database_pool_size,
        pg_unit_threads=settings.database_unit_threads,
    )
    try:
        try:
            await migrate(db)
        except DATABASE_ERRORS as error:
            raise StartupFailed(explain_database_error(error, settings.database_url)) from None
        engine_settings = EngineSettings(
            crisis_pause_hours=settings.crisis_pause_hours,
            invite_uses=settings.invite_uses,
        )
        menu = command_names()
        try:
            engine = Engine(db, all_dialogs(), clock=clock, settings=engine_settings, menu=menu)
        except DialogGraphError as error:
            raise StartupFailed(f"the dialogs do not fit together: {error}") from None
        yield App(
            settings=settings,
            db=db,
            engine=engine,
            platforms=platforms if platforms is not None else builtin(),
            clock=clock,
        )
    finally:
        await db.dispose()


def build_adapters(app: App) -> list[Adapter]:
    """One adapter per registered platform its settings turn on, in registration order
    (a platform's library loads only then). Raises ``ValueError`` for a setting an
    adapter cannot use."""
    return [
        platform.build(app.settings, app.engine)
        for platform in app.platforms.enabled(app.settings)
        if platform.build is not None
    ]


def warm_readers() -> None:
    """Load the gazetteer and dateparser's data (about 1 s of CPU, 80 MB) in a worker
    thread at start-up; a failure here only means the first use loads them."""
    try:
        gazetteer.warm()
        sentences.warm()
    except Exception:
        logger.exception("could not preload the place and date readers")


def settle_memory() -> None:
    """Move everything loaded so far (the classifier, the gazetteer's ~200,000 objects,
    the content) out of the garbage collector's sight (``gc.freeze``): they live as long
    as the process, and a full collection that walked them paused the event loop for
    ~130 ms on a 2-core machine, every time one ran. Called once the readers are warm."""
    gc.freeze()
    logger.debug("start-up objects frozen: %d", gc.get_freeze_count())


async def run_bots(settings: Settings) -> None:
    """Run every platform the settings turn on, plus the scheduler, until SIGINT/SIGTERM.
    Raises ``StartupFailed`` when the database or an adapter cannot start."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    logger.info("event loop: %s", type(loop).__module__.split(".")[0])
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with open_app(settings) as app:
        # The place-name and date readers load their data (~1 s) off the event loop now,
        # not inside the first message that needs them.
        warming = asyncio.create_task(asyncio.to_thread(warm_readers))
        warming.add_done_callback(lambda _: settle_memory())
        try:
            adapters = build_adapters(app)
        except ValueError as error:  # a setting an adapter cannot use (says which)
            raise StartupFailed(str(error)) from None
        started: list[Adapter] = []
        try:
            for adapter in adapters:
                # A stop asked for while an adapter is still starting (retrying a platform
                # that does not answer) ends the start, not 30 s later: hosts kill a
                # process that ignores SIGTERM for that long.
                starting = asyncio.ensure_future(adapter.start())
                stopping = asyncio.ensure_future(stop.wait())
                await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not starting.done():
                    starting.cancel()
                    await asyncio.gather(starting, return_exceptions=True)
                    logger.info("stopped while the %s adapter was starting", adapter.platform)
                    return
                try:
                    starting.result()
                except Exception as error:
                    # The adapters' errors carry no token (they redact); no traceback needed.
                    logger.error("%s adapter could not start: %s", adapter.platform, error)
                    raise StartupFailed() from None
                started.append(adapter)
                logger.info("%s adapter started", adapter.platform)
            scheduler = await start_scheduler(app, adapters)
            await stop.wait()
            await warming
            logger.info("shutting down")
            if scheduler is not None:
                await scheduler.stop()
        finally:
            for adapter in reversed(started):
                try:
                    await adapter.stop()
                except Exception:
                    logger.exception("%s adapter did not stop cleanly", adapter.platform)


async def start_scheduler(app: App, adapters: list[Adapter]) -> DeliveryJob | None:
    """The periodic delivery job (bot/scheduler.py), the adapters as its outlets, paced
    as their platforms declare; None when ``SCHEDULER_ENABLED`` is false."""
    if not app.settings.scheduler_enabled:
        logger.info("scheduler is off in this process (SCHEDULER_ENABLED=false)")
        return None
    from bot.scheduler import start

    return await start(app.db, adapters, app.settings, clock=app.clock, paces=app.platforms.paces())
