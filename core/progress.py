"""Job-search numbers, as pure functions of dates and statuses (no database here).

Weeks run Monday to Sunday in the person's own calendar. A streak counts weeks with
at least one application; the current week does not break it until it is over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

FOCUS_THRESHOLD = 3
"""Rejections at the same stage that suggest a skill area to focus on."""
RATES_AFTER = timedelta(days=14)
RATES_MIN_OLD = 3
"""Response rates are shown once something was heard back, or once this many
applications are older than ``RATES_AFTER`` (before that, 0 % reads as a verdict)."""


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def count_this_week(applied_on: Iterable[date], today: date) -> int:
    start = week_start(today)
    return sum(1 for d in applied_on if start <= d <= today)


def weekly_streak(applied_on: Iterable[date], today: date) -> int:
    """Consecutive weeks, up to this one, with at least one application.

    A week still in progress without an application yet does not end the streak.
    """
    weeks = {week_start(d) for d in applied_on if d <= today}
    current = week_start(today)
    if current not in weeks:
        current -= timedelta(weeks=1)
    streak = 0
    while current in weeks:
        streak += 1
        current -= timedelta(weeks=1)
    return streak


def weeks_since(previous: date | None, today: date) -> int | None:
    """Whole calendar weeks between the week of ``previous`` and this one."""
    if previous is None:
        return None
    return (week_start(today) - week_start(previous)).days // 7


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Applications by where they stand, and what share heard back at each stage."""

    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def heard_back(self) -> int:
        """Any answer at all: an interview, an offer or a no."""
        return sum(self.counts.get(s, 0) for s in ("interview", "offer", "rejected"))

    @property
    def interviews(self) -> int:
        """Reached an interview (those still interviewing and those with an offer)."""
        return sum(self.counts.get(s, 0) for s in ("interview", "offer"))

    @property
    def offers(self) -> int:
        return self.counts.get("offer", 0)

    @property
    def ghosted(self) -> int:
        """Closed after a long silence (core.pipeline.GHOST_AFTER): never answered."""
        return self.counts.get("ghosted", 0)

    def rate(self, part: int) -> int:
        """``part`` as a whole percentage of all applications (0 when there are none)."""
        return round(100 * part / self.total) if self.total else 0


def rates_worth_showing(funnel: Pipeline, applied_on: Iterable[date], today: date) -> bool:
    """Whether response rates say something yet: an answer came, or enough
    applications have had time for one."""
    if funnel.heard_back or funnel.ghosted:  # an answer, or a silence the person closed
        return True
    return sum(1 for d in applied_on if today - d >= RATES_AFTER) >= RATES_MIN_OLD


def pipeline(statuses: Iterable[str]) -> Pipeline:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return Pipeline(counts)


def focus_stage(stage_counts: Mapping[str, int], threshold: int = FOCUS_THRESHOLD) -> str | None:
    """The stage where rejections keep happening (``threshold`` or more), if any."""
    frequent = [(count, stage) for stage, count in stage_counts.items() if count >= threshold]
    if not frequent:
        return None
    return max(frequent)[1]


def mood_trend(earlier: Iterable[int], recent: Iterable[int], margin: float = 0.5) -> str | None:
    """``up``, ``down`` or ``steady`` between two sets of 1-5 scores; None without both."""
    before, after = list(earlier), list(recent)
    if not before or not after:
        return None
    change = fmean(after) - fmean(before)
    if change >= margin:
        return "up"
    if change <= -margin:
        return "down"
    return "steady"
