"""Three /chart pictures: a first day, a fortnight and a season of data (core/chart.py).

The test renders them as PNG files (to ``$REBOUND_CHART_DIR`` when set, otherwise to a
temporary folder) and checks the layout rules a person looking at them would notice;
README.md ("The chart") describes what the three pictures show.
"""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from matplotlib import dates as mdates

from core import chart

ZONE = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 29)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE).astimezone(UTC)


def first_day():
    moods = [chart.MoodPoint(_at(TODAY, 9), 2), chart.MoodPoint(_at(TODAY, 20), 3)]
    events = [
        chart.Event(_at(TODAY, 10), "rejection"),
        chart.Event(_at(TODAY, 12), "application"),
    ]
    return moods, events, 30


def fortnight():
    start = TODAY - timedelta(days=13)
    scores = {0: 3, 1: 2, 2: 2, 3: 3, 4: 4, 10: 3, 11: 4, 12: 4, 13: 5}  # days 5-9: nothing
    moods = [chart.MoodPoint(_at(start + timedelta(days=d), 19), s) for d, s in scores.items()]
    events = [
        chart.Event(_at(start + timedelta(days=1), 11), "rejection"),
        *(chart.Event(_at(start + timedelta(days=3), 12), "application") for _ in range(2)),
        chart.Event(_at(start + timedelta(days=11), 15), "interview"),
    ]
    return moods, events, 30


def season():
    start = TODAY - timedelta(days=89)
    moods = []
    for d in range(0, 90, 2):
        if 40 <= d < 52:
            continue  # a fortnight with no entries
        score = 3 + round(1.5 * math.sin(d / 9))
        moods.append(chart.MoodPoint(_at(start + timedelta(days=d), 20), max(1, min(5, score))))
    busy = start + timedelta(days=20)
    events = [chart.Event(_at(busy, 9 + h), "application") for h in range(4)]
    clash = start + timedelta(days=60)
    events += [chart.Event(_at(clash, 10), "interview"), chart.Event(_at(clash, 16), "rejection")]
    events += [chart.Event(_at(start + timedelta(days=d), 12), "application") for d in (5, 33, 70)]
    events += [chart.Event(_at(start + timedelta(days=30), 14), "rejection")]
    return moods, events, 90


def _figure(scenario):
    moods, events, days = scenario()
    first = TODAY - timedelta(days=days - 1)
    return chart.mood_figure(moods, events, first_day=first, last_day=TODAY, zone=ZONE)


def _artist(figure, gid):
    [axes] = figure.axes
    return next(a for a in axes.get_children() if a.get_gid() == gid)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    chosen = os.environ.get("REBOUND_CHART_DIR")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("scenario", [first_day, fortnight, season])
def test_three_pictures_are_rendered(scenario, out_dir: Path):
    png = chart.to_png(_figure(scenario))
    path = out_dir / f"chart-{scenario.__name__.replace('_', '-')}.png"
    path.write_bytes(png)
    assert chart.png_size(png) == chart.SIZE


def _span_days(figure) -> float:
    [axes] = figure.axes
    low, high = axes.get_xlim()
    return high - low  # matplotlib date units are days


def test_a_first_day_fills_a_week_not_a_sliver_of_thirty_days():
    figure = _figure(first_day)
    assert _span_days(figure) == 1  # the day itself, hour by hour
    [axes] = figure.axes
    assert "data from" in axes.get_title()


def test_a_fortnight_shows_its_own_days_and_no_line_across_the_gap():
    figure = _figure(fortnight)
    assert 14 <= _span_days(figure) <= 15
    ys = list(_artist(figure, "mood").get_ydata())
    assert sum(1 for y in ys if math.isnan(y)) == 1  # one break: days 5 to 9
    ticks = _artist(figure, "application").get_offsets()
    assert len({(round(x, 3), round(y, 3)) for x, y in ticks}) == 2  # two, one above the other


def test_a_season_keeps_same_day_events_apart():
    figure = _figure(season)
    assert _span_days(figure) == 90
    ticks = _artist(figure, "application").get_offsets()
    assert len({(round(x, 3), round(y, 3)) for x, y in ticks}) == 7  # four on one day
    interview = _artist(figure, "interview").get_offsets()
    rejections = _artist(figure, "rejection").get_offsets()
    clash_day = TODAY - timedelta(days=89 - 60)  # the season's interview-and-no day
    clash = mdates.date2num(datetime(clash_day.year, clash_day.month, clash_day.day, 12))
    same_day = [tuple(p) for p in rejections if abs(p[0] - clash) < 0.5]
    assert same_day and interview[0][1] != same_day[0][1]  # different rows: both visible
    ys = list(_artist(figure, "mood").get_ydata())
    assert any(math.isnan(y) for y in ys)
