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
    "rejection": {"color": "#c0392b", "marker": "v", "y": 5.45},
    "interview": {"color": "#2e86c1", "marker": "D", "y": 5.45},
    "application": {"color": "#7f8c8d", "marker": "|", "y": 0.55},
}


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
    """The chart as a Figure, not yet rendered: inspectable before saving."""
    # matplotlib (with numpy, ~45 MB) loads on the first chart, not at start-up.
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    start = datetime.combine(first_day, time.min)
    end = datetime.combine(last_day + timedelta(days=1), time.min)

    xs = [_local(m.at, zone) for m in moods]
    ys = [m.score for m in moods]
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
        markers = axes.scatter(
            when, [style["y"]] * len(when), color=style["color"], marker=style["marker"],
            s=60 if kind != "application" else 120, zorder=3,
            label=content.text(f"chart.legend_{kind}"),
        )  # fmt: skip
        markers.set_gid(kind)
        if kind == "rejection":
            for at in when:
                axes.axvline(at, color=style["color"], alpha=0.25, linewidth=1, linestyle="--")

    axes.set_xlim(start, end)
    axes.set_ylim(0.3, 5.8)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_ylabel(content.text("chart.axis_mood"))
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=8))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    days = (last_day - first_day).days + 1
    axes.set_title(content.text("chart.title", days=days), fontsize=11)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    figure.subplots_adjust(left=0.08, right=0.82, top=0.9, bottom=0.1)
    return figure


def to_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
