"""The /chart picture: mood over time with rejections, interviews and applications
marked on the same time line, so a person can see themselves recover after a setback.

Rendered with matplotlib's non-interactive Agg canvas (imported on first use, so a bot
that never draws a chart never loads it) on a ``Figure`` of its own (no
pyplot global state), small and at 100 dpi so that it takes well under a second.
Each kind of event is drawn as one artist whose ``gid`` names it (``mood``,
``rejection``, ``interview``, ``application``), which is how tests find them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core import content

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 4.0, 100
SIZE = (int(WIDTH_INCHES * DPI), int(HEIGHT_INCHES * DPI))
"""Pixel size of every chart: width, height."""

EVENT_KINDS = ("rejection", "interview", "application")
_STYLE = {
    "rejection": {"color": "#c0392b", "marker": "v", "y": 5.55},
    "interview": {"color": "#2e86c1", "marker": "D", "y": 5.15},
    "application": {"color": "#7f8c8d", "marker": "|", "y": 0.55},
}
"""Each kind has its own row, so a rejection and an interview on one day both show."""
MIN_SPAN_DAYS = 1
"""The shortest time axis: a first day of data fills the picture hour by hour, not a
sliver at the right edge of a 30- or 90-day axis."""
MARGIN_FROM_DAYS = 4
"""Spans this long or longer start a day before the first data, so it is off the edge."""
GAP_DAYS = 3.0
"""Mood entries further apart than this are not joined by a line (no data is not drawn
as if it were)."""
STACK_STEP = 0.3
"""Vertical step between same-day application ticks (four on one day are four ticks)."""
SPREAD_DAYS = 0.22
"""Horizontal step between same-day rejections or interviews, so none hides another."""


def visible_range(
    moods: Sequence[MoodPoint],
    events: Sequence[Event],
    *,
    first_day: Date,
    last_day: Date,
    zone: ZoneInfo,
) -> tuple[Date, Date]:
    """The days the axis shows: from the first day with data (less a day of margin) to
    ``last_day``, never before ``first_day`` and never shorter than ``MIN_SPAN_DAYS``."""
    days = [m.at.astimezone(zone).date() for m in moods]
    days += [e.at.astimezone(zone).date() for e in events]
    days = [d for d in days if first_day <= d <= last_day]
    start = min(days) if days else first_day
    if (last_day - start).days + 1 >= MARGIN_FROM_DAYS:
        start -= timedelta(days=1)
    start = min(start, last_day - timedelta(days=MIN_SPAN_DAYS - 1))
    return max(start, first_day), last_day


def _with_gaps(xs: list[datetime], ys: list[float]) -> tuple[list[datetime], list[float]]:
    """The mood line with a break (NaN) wherever entries are over ``GAP_DAYS`` apart."""
    out_x: list[datetime] = []
    out_y: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        if out_x and (x - out_x[-1]) > timedelta(days=GAP_DAYS):
            out_x.append(out_x[-1] + (x - out_x[-1]) / 2)
            out_y.append(float("nan"))
        out_x.append(x)
        out_y.append(float(y))
    return out_x, out_y


def _placed(kind: str, when: list[datetime]) -> tuple[list[datetime], list[float]]:
    """Marker positions: same-day applications stacked upwards, same-day rejections or
    interviews spread sideways around the day's noon."""
    by_day: dict[Date, list[datetime]] = {}
    for at in sorted(when):
        by_day.setdefault(at.date(), []).append(at)
    xs: list[datetime] = []
    ys: list[float] = []
    base = float(_STYLE[kind]["y"])
    for day, items in by_day.items():
        noon = datetime.combine(day, time(12))
        for index, _at in enumerate(items):
            if kind == "application":
                xs.append(noon)
                ys.append(base + STACK_STEP * index)
            else:
                offset = (index - (len(items) - 1) / 2) * SPREAD_DAYS
                xs.append(noon + timedelta(days=offset))
                ys.append(base)
    return xs, ys


@dataclass(frozen=True, slots=True)
class MoodPoint:
    at: datetime
    score: int


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    kind: str
    """One of ``EVENT_KINDS``."""


def _local(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


def mood_figure(
    moods: Sequence[MoodPoint],
    events: Sequence[Event],
    *,
    first_day: Date,
    last_day: Date,
    zone: ZoneInfo,
) -> Figure:
    """The chart as a Figure, not yet rendered: inspectable before saving.

    ``moods`` and ``events`` carry aware datetimes, drawn in ``zone``; ``first_day`` to
    ``last_day`` (local days) is the period asked for, of which the axis shows the part
    with data (``visible_range``).
    """
    # matplotlib (with numpy, ~45 MB) loads on the first chart, not at start-up.
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    shown_first, shown_last = visible_range(
        moods, events, first_day=first_day, last_day=last_day, zone=zone
    )
    start = datetime.combine(shown_first, time.min)
    end = datetime.combine(shown_last + timedelta(days=1), time.min)

    xs, ys = _with_gaps([_local(m.at, zone) for m in moods], [m.score for m in moods])
    (line,) = axes.plot(
        xs, ys, color="#27ae60", marker="o", markersize=4, linewidth=1.8,
        label=content.text("chart.legend_mood"),
    )  # fmt: skip
    line.set_gid("mood")

    for kind in EVENT_KINDS:
        when = [_local(e.at, zone) for e in events if e.kind == kind]
        if not when:
            continue
        style = _STYLE[kind]
        at_x, at_y = _placed(kind, when)
        markers = axes.scatter(
            at_x, at_y, color=style["color"], marker=style["marker"],
            s=60 if kind != "application" else 70, zorder=3,
            label=content.text(f"chart.legend_{kind}"),
        )  # fmt: skip
        markers.set_gid(kind)
        if kind == "application":
            _count_labels(axes, at_x, at_y, style["color"])
        if kind == "rejection":
            for at in at_x:
                axes.axvline(at, color=style["color"], alpha=0.25, linewidth=1, linestyle="--")

    axes.set_xlim(start, end)
    axes.set_ylim(0.3, 5.85)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_ylabel(content.text("chart.axis_mood"))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
    axes.xaxis.set_major_locator(locator)
    # Hours on a one-day axis, days on longer ones, the month and year once, not on each.
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    days = (last_day - first_day).days + 1
    shown = (shown_last - shown_first).days + 1
    title = (
        content.text("chart.title", days=days)
        if shown == days
        else content.text("chart.title_since", days=days, first=f"{shown_first:%d %b}")
    )
    axes.set_title(title, fontsize=11)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    figure.subplots_adjust(left=0.08, right=0.82, top=0.9, bottom=0.1)
    return figure


def _count_labels(axes: object, xs: list[datetime], ys: list[float], color: object) -> None:
    """ "×4" above a day's stack of two or more application ticks."""
    tops: dict[datetime, tuple[float, int]] = {}
    for x, y in zip(xs, ys, strict=True):
        top, count = tops.get(x, (y, 0))
        tops[x] = (max(top, y), count + 1)
    for x, (top, count) in tops.items():
        if count >= 2:
            axes.annotate(  # type: ignore[attr-defined]
                f"×{count}", (x, top), xytext=(0, 7), textcoords="offset points",
                ha="center", fontsize=7, color=color,
            )  # fmt: skip


def to_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
