"""The event loop the bot runs on: uvloop where it is installed, else asyncio's own.

uvloop (libuv under asyncio's API) makes the loop's own work per message cheaper: the
hand-over of each message's unit of work to the database thread and back, timers, and
sockets. Measured with ``bench/bench_engine.py --loop``; see the README's Performance
section. It is a dependency on Linux and macOS (``pyproject.toml``); on Windows, or
with ``EVENT_LOOP=asyncio``, the standard loop runs and nothing else changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


def loop_factory(prefer_uvloop: bool = True) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's ``new_event_loop`` when ``prefer_uvloop`` and uvloop can be imported;
    None (asyncio's default loop) otherwise."""
    if not prefer_uvloop:
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def runner(prefer_uvloop: bool = True) -> asyncio.Runner:
    """An ``asyncio.Runner`` (Python 3.11+) on the loop ``loop_factory`` picks; use it as
    ``with runner() as r: r.run(main())``."""
    return asyncio.Runner(loop_factory=loop_factory(prefer_uvloop))
