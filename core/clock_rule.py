"""The clock rule: schedules never move on the word of one pass alone.

A scheduler pass moves every due schedule's ``next_due_at`` past its own ``now`` and
expires outbox rows older than ``now`` minus the grace window. A pass whose clock is
wrong (a glitch, a host with a bad clock, ``dispatch --now`` in the future against the
live database) would therefore silence everyone until real time catches up. So before
it plans, a live pass checks its clock twice:

1. against the database server's own clock (``CURRENT_TIMESTAMP``): more than
   ``tolerance`` apart and the pass refuses; for PostgreSQL on another host this is an
   independent clock;
2. against the latest pass that planned (kept in the ``scheduler_clock`` row): a jump
   forward of more than ``max_step`` is only believed when the next pass confirms it
   (its reading comes after the jumped one, and within ``max_step`` of it). A single
   wrong reading, even on SQLite where the database shares the host's clock, refuses
   and changes nothing; downtime (a real jump) costs one pass interval.

A clock that goes backwards is accepted (planning at an earlier instant finds nothing
due that a later one did not already plan) and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.repositories import scheduler_clock

logger = logging.getLogger(__name__)

TOLERANCE = timedelta(minutes=5)
"""How far a pass's clock may be from the database's clock (NTP keeps hosts within
seconds; a few minutes leaves room for a slow pass)."""
MAX_STEP = timedelta(minutes=15)
"""The largest forward step between two planning passes taken without confirmation
(passes run every ``SCHEDULER_INTERVAL_SECONDS``, 30 s, and stop claiming after 120 s)."""

DatabaseClock = Callable[[AsyncSession], Awaitable[datetime]]


def describe(delta: timedelta) -> str:
    """A duration in words for the log: ``36.0 h``, ``4.1 days``, ``12 min``."""
    seconds = abs(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min"


def ahead_of_database(now: datetime, database_now: datetime, tolerance: timedelta) -> str | None:
    """Why ``now`` (aware UTC) may not plan against a database whose clock reads
    ``database_now``, or None when they are within ``tolerance`` of each other."""
    gap = now - database_now
    if abs(gap) <= tolerance:
        return None
    side = "ahead of" if gap > timedelta(0) else "behind"
    return (
        f"this pass's clock ({now.isoformat()}) is {describe(gap)} {side} the database's "
        f"clock ({database_now.isoformat()}); check the host's time (NTP)"
    )


class ClockRule:
    """Decides whether a live scheduler pass may plan at its ``now``.

    ``database_clock`` reads the database's own clock (default: ``CURRENT_TIMESTAMP``);
    None skips that check (tests that drive a pass with an injected clock far from the
    real one). ``check`` records the accepted instant, so it has one writer at a time
    (the row is locked for the transaction).
    """

    def __init__(
        self,
        *,
        tolerance: timedelta = TOLERANCE,
        max_step: timedelta = MAX_STEP,
        database_clock: DatabaseClock | None = scheduler_clock.database_now,
    ) -> None:
        self.tolerance = tolerance
        self.max_step = max_step
        self._database_clock = database_clock

    async def check(self, db: Database, now: datetime) -> str | None:
        """None when a pass at ``now`` (aware UTC) may plan, else why not (one sentence).

        Side effect: an accepted ``now`` becomes the latest pass; a refused jump is kept
        as the reading the next pass must confirm. Raises only database errors.
        """
        async with db.write() as session:
            if self._database_clock is not None:
                reason = ahead_of_database(now, await self._database_clock(session), self.tolerance)
                if reason is not None:
                    return reason
            row = await scheduler_clock.load(session)
            last, jumped = row.last_pass_at, row.unconfirmed_at
            if last is not None and now - last > self.max_step:
                confirmed = jumped is not None and timedelta(0) <= now - jumped <= self.max_step
                if not confirmed:
                    row.unconfirmed_at = now
                    return (
                        f"this pass's clock ({now.isoformat()}) is {describe(now - last)} after "
                        f"the last pass ({last.isoformat()}); planning waits for the next "
                        "pass to confirm the time"
                    )
                logger.info("clock moved %s since the last pass; confirmed", describe(now - last))
            elif last is not None and now < last:
                logger.warning("clock went back %s since the last pass", describe(last - now))
            row.last_pass_at = now
            row.unconfirmed_at = None
            return None
