"""One scheduler pass: plan what is due, claim it, send it through each platform's outlet.

The database work (core/outbox.py) happens in short transactions; sending happens
outside any transaction, paced per platform (core/pacing.py). Each row goes
``pending -> sending -> sent``.

The delivery guarantee: **no message is lost, and a crash repeats at most the messages
in flight at that instant** (at most the platform's ``Pace.concurrency``); a graceful
stop (SIGTERM, ``Dispatcher.stop``) repeats none.

- Each accepted message is recorded before its worker takes the next one (outcomes of
  messages accepted together share one transaction), so what a ``kill -9`` can find
  accepted but unrecorded is only what was in flight. Such rows stay ``sending`` until
  their claim times out, then another pass sends them again.
- ``OutcomeUnknown`` (the request went out, no answer came: a read timeout, a
  connection dropped mid-response): recorded as sent with ``outcome_unknown``, never
  sent again blindly. Telegram has no way to ask whether a message arrived.
- ``RecipientUnreachable``: the row fails and the person is marked unreachable: no retry
  until they write again (the engine clears the mark).
- ``RateLimited``: the whole platform waits ``retry_after``, then the same message is
  tried again (a few times; then it goes back to pending for the next pass).
- Any other error (nothing was delivered: a connect error, a 5xx answer): back to
  pending for the next pass, ``failed`` after ``max_attempts``.
- An outlet with ``records_first`` (the printed terminal outlet of ``dispatch``) has
  each batch recorded as sent before it is handed over: a crash may then leave a
  message recorded but not printed (the terminal chat shows it at its next start), never
  printed twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core import outbox
from core.clock_rule import ClockRule
from core.messages import OutcomeUnknown, Outlet, RateLimited, RecipientUnreachable
from core.outbox import DeliverySettings, Parcel
from core.pacing import PACES, UNPACED, Pace, Pacer
from storage.database import Database
from storage.repositories import deliveries

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
RATE_LIMIT_TRIES = 4


@dataclass(slots=True)
class PassReport:
    expired: int = 0
    planned: int = 0
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    unreachable: int = 0
    unknown: int = 0
    """Sent with an unknown outcome (recorded as sent, not retried)."""
    retry: int = 0
    failed: int = 0
    by_platform: dict[str, int] = field(default_factory=dict)
    refused: str | None = None
    """Why the pass planned nothing (core/clock_rule.py), or None."""
    withheld: int = 0
    """A preview pass: deliveries it would have planned for the live platforms."""


class Dispatcher:
    """Runs scheduler passes for the platforms it has outlets for."""

    def __init__(
        self,
        db: Database,
        outlets: Sequence[Outlet],
        *,
        clock: Clock,
        settings: DeliverySettings | None = None,
        paces: Mapping[str, Pace] = PACES,
        rng: random.Random | None = None,
        pass_budget: float | None = None,
        only_users: Collection[str] | None = None,
        clock_rule: ClockRule | None = None,
    ) -> None:
        """``only_users``: deliver only to these people (their ids on the outlets'
        platforms), as the terminal chat does for its own person; None: everyone.
        ``clock_rule``: checked before each pass plans (the live scheduler's); None
        trusts ``now`` as given (tests and the ``dispatch`` command, which applies the
        rule itself)."""
        self._db = db
        self._clock_rule = clock_rule
        self._outlets = {outlet.platform: outlet for outlet in outlets}
        self._clock = clock
        self.settings = settings or DeliverySettings()
        self._paces = paces
        self._rng = rng or random.Random()
        self._pass_budget = pass_budget
        self._only_users = only_users
        self._pacers: dict[str, Pacer] = {}
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """End passes gracefully (SIGTERM): claim nothing more, let each send in flight
        finish and record it, put what is claimed but unsent back to pending. Returns at
        once; the running ``run_pass`` returns soon after."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def pacer(self, platform: str) -> Pacer:
        """One pacer per platform for the dispatcher's life: passes share the rate."""
        if platform not in self._pacers:
            pace = self._paces.get(platform, UNPACED)
            self._pacers[platform] = Pacer(pace, rng=self._rng)
        return self._pacers[platform]

    async def run_pass(self, now: datetime | None = None) -> PassReport:
        """Plan, claim and send everything due at ``now`` (default: the clock)."""
        now = now or self._clock()
        report = PassReport()
        if self._clock_rule is not None:
            report.refused = await self._clock_rule.check(self._db, now)
            if report.refused is not None:
                logger.warning("scheduler pass refused: %s", report.refused)
                return report
        report.expired = await outbox.expire(self._db, now, self.settings)
        report.planned = await outbox.plan(self._db, now, self.settings)
        deadline = None if self._pass_budget is None else time.monotonic() + self._pass_budget
        await asyncio.gather(
            *(self._lane(platform, now, report, deadline) for platform in self._outlets)
        )
        if report.claimed or report.planned:
            logger.info(
                "scheduler pass: %d planned, %d sent, %d skipped, %d unreachable, "
                "%d to retry, %d failed",
                report.planned,
                report.sent,
                report.skipped,
                report.unreachable,
                report.retry,
                report.failed,
            )
        return report

    async def run_preview(self, now: datetime) -> PassReport:
        """A pass at an instant the live platforms have not reached (``dispatch --now``
        in the future): plans and sends only for this dispatcher's platforms, moves no
        schedule, expires nothing, and counts in ``withheld`` what it would have planned
        for everyone else."""
        report = PassReport()
        report.planned, report.withheld = await outbox.preview(
            self._db, now, self.settings, list(self._outlets)
        )
        await asyncio.gather(
            *(self._lane(platform, now, report, None) for platform in self._outlets)
        )
        return report

    async def _lane(
        self, platform: str, now: datetime, report: PassReport, deadline: float | None
    ) -> None:
        """Claim batches for one platform and send them with its pace."""
        outlet = self._outlets[platform]
        pacer = self.pacer(platform)
        recorder = _Recorder(self._db, self._clock, self.settings, report)
        queue: asyncio.Queue[Parcel | None] = asyncio.Queue(maxsize=pacer.pace.concurrency * 2)
        records_first = bool(getattr(outlet, "records_first", False))
        inline = records_first or (pacer.pace.rate is None and pacer.pace.concurrency == 1)
        workers = (
            []
            if inline
            else [
                asyncio.create_task(self._worker(outlet, pacer, queue, recorder))
                for _ in range(pacer.pace.concurrency)
            ]
        )
        waiting: list[Parcel] = []
        try:
            while not self.stopping and (deadline is None or time.monotonic() < deadline):
                batch = await outbox.claim(
                    self._db,
                    [platform],
                    now,
                    self.settings,
                    rng=self._rng,
                    external_ids=self._only_users,
                )
                report.skipped += batch.skipped
                if not batch.parcels and not batch.skipped:
                    break
                report.claimed += len(batch.parcels)
                report.by_platform[platform] = report.by_platform.get(platform, 0) + len(
                    batch.parcels
                )
                waiting = list(reversed(batch.parcels))
                if records_first:
                    await self._hand_over(outlet, waiting, recorder)
                    waiting = []
                while inline and waiting and not self.stopping:
                    # no pace to keep: no queue and worker hand-off per message
                    await self._deliver(outlet, pacer, waiting[-1], recorder)
                    waiting.pop()
                while waiting and not self.stopping:
                    await queue.put(waiting[-1])
                    waiting.pop()
            if self.stopping:
                await recorder.release(waiting + _drain(queue))
                waiting = []
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            for worker in workers:
                worker.cancel()
            unsent = waiting + _drain(queue)
            await asyncio.shield(recorder.release(unsent))
            raise
        finally:
            for worker in workers:
                if not worker.done():
                    worker.cancel()
            await asyncio.shield(recorder.flush())

    async def _hand_over(
        self, outlet: Outlet, parcels: Sequence[Parcel], recorder: _Recorder
    ) -> None:
        """An outlet that cannot fail half-way (printing): record the batch as sent, then
        hand each message over, with no await in between that a signal could stop."""
        await recorder.sent_all(parcels)
        for parcel in reversed(parcels):
            try:
                await outlet.send(parcel.external_id, parcel.replies())
            except Exception as error:  # recorded already; the row says sent
                logger.warning(
                    "%s delivery %d was recorded but not handed over: %s",
                    outlet.platform,
                    parcel.id,
                    type(error).__name__,
                )

    async def _worker(
        self,
        outlet: Outlet,
        pacer: Pacer,
        queue: asyncio.Queue[Parcel | None],
        recorder: _Recorder,
    ) -> None:
        while (parcel := await queue.get()) is not None:
            await self._deliver(outlet, pacer, parcel, recorder)

    async def _deliver(
        self, outlet: Outlet, pacer: Pacer, parcel: Parcel, recorder: _Recorder
    ) -> None:
        """Send one parcel and record how it went before returning (so that a worker has
        at most one message accepted but unrecorded at any instant)."""
        for _ in range(RATE_LIMIT_TRIES):
            await pacer.wait(parcel.external_id)
            if self.stopping:
                await recorder.release([parcel])
                return
            try:
                await outlet.send(parcel.external_id, parcel.replies())
            except RecipientUnreachable:
                logger.info("a %s user is unreachable; their messages stop", outlet.platform)
                await recorder.unreachable(parcel)
                return
            except RateLimited as limited:
                logger.warning(
                    "%s asked to slow down for %.1f s", outlet.platform, limited.retry_after
                )
                pacer.hold(limited.retry_after)
                continue
            except OutcomeUnknown:
                logger.warning(
                    "%s delivery %d: no answer after the request went out; recorded as "
                    "sent (outcome unknown), not sent again",
                    outlet.platform,
                    parcel.id,
                )
                await recorder.sent(parcel, unknown=True)
                return
            except asyncio.CancelledError:
                # Stopped mid-request (a hard stop): it may have gone out. Never repeat it.
                await asyncio.shield(recorder.sent(parcel, unknown=True))
                raise
            except Exception as error:
                logger.warning(
                    "%s delivery %d failed: %s", outlet.platform, parcel.id, type(error).__name__
                )
                await recorder.retry(parcel)
                return
            await recorder.sent(parcel)
            return
        await recorder.retry(parcel)


def _drain(queue: asyncio.Queue[Parcel | None]) -> list[Parcel]:
    left = []
    while not queue.empty():
        item = queue.get_nowait()
        if item is not None:
            left.append(item)
    return left


class _Recorder:
    """Writes send outcomes promptly: each caller waits until its outcome is committed.
    Outcomes that arrive while a transaction is being written share the next one (group
    commit), so 28 workers cost a few transactions a second, not 28."""

    def __init__(
        self, db: Database, clock: Clock, settings: DeliverySettings, report: PassReport
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._report = report
        self._outcomes: list[dict[str, Any]] = []
        self._unreachable: set[int] = set()
        self._collecting = 0
        """Number of the group now collecting outcomes."""
        self._written = -1
        """Number of the latest group committed."""
        self._lock = asyncio.Lock()

    async def sent(self, parcel: Parcel, *, unknown: bool = False) -> None:
        self._report.sent += 1
        if unknown:
            self._report.unknown += 1
        await self._add(_outcome(parcel, deliveries.SENT, unknown=unknown))

    async def sent_all(self, parcels: Sequence[Parcel]) -> None:
        self._report.sent += len(parcels)
        self._outcomes.extend(_outcome(p, deliveries.SENT) for p in parcels)
        await self._commit_group()

    async def unreachable(self, parcel: Parcel) -> None:
        self._report.unreachable += 1
        self._unreachable.add(parcel.user_id)
        await self._add(_outcome(parcel, deliveries.FAILED))

    async def retry(self, parcel: Parcel) -> None:
        if parcel.attempts >= self._settings.max_attempts:
            self._report.failed += 1
            await self._add(_outcome(parcel, deliveries.FAILED))
        else:
            self._report.retry += 1
            await self._add(_outcome(parcel, deliveries.PENDING))

    async def release(self, parcels: Sequence[Parcel]) -> None:
        """Claimed but never tried (a stop): back to pending, the attempt not counted."""
        for parcel in parcels:
            self._outcomes.append(
                {
                    "id": parcel.id,
                    "status": deliveries.PENDING,
                    "claimed_at": None,
                    "attempts": parcel.attempts - 1,
                }
            )
        await self._commit_group()

    async def _add(self, outcome: dict[str, Any]) -> None:
        self._outcomes.append(outcome)
        await self._commit_group()

    async def _commit_group(self) -> None:
        """Return once the outcomes added so far are committed. Shielded: a cancelled
        caller does not roll back a transaction that holds other callers' outcomes."""
        await asyncio.shield(self._write(self._collecting))

    async def flush(self) -> None:
        await self._write(self._collecting)

    async def _write(self, group: int) -> None:
        async with self._lock:
            if self._written >= group:
                return  # another caller's transaction carried it
            outcomes, self._outcomes = self._outcomes, []
            unreachable, self._unreachable = self._unreachable, set()
            taken, self._collecting = self._collecting, self._collecting + 1
            if outcomes or unreachable:
                now = self._clock()
                for outcome in outcomes:
                    if outcome["status"] == deliveries.SENT:
                        outcome["sent_at"] = now
                async with self._db.write() as session:
                    await deliveries.finish(session, outcomes)
                    await deliveries.mark_unreachable(session, unreachable, now)
            self._written = taken


def _outcome(parcel: Parcel, status: str, *, unknown: bool = False) -> dict[str, Any]:
    outcome: dict[str, Any] = {"id": parcel.id, "status": status}
    if status == deliveries.PENDING:
        outcome["claimed_at"] = None
    if unknown:
        outcome["outcome_unknown"] = True
    return outcome
