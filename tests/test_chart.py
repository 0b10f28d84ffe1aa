"""/chart: mood over time with rejections, interviews and applications marked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core import chart
from core.engine import Engine
from tests.harness import Chat

START = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def _known_history():
    moods = [
        chart.MoodPoint(START + timedelta(days=d), s) for d, s in enumerate([4, 3, 1, 2, 3, 4])
    ]
    events = [
        chart.Event(START + timedelta(days=1), "application"),
        chart.Event(START + timedelta(days=1, hours=3), "application"),
        chart.Event(START + timedelta(days=2), "rejection"),
        chart.Event(START + timedelta(days=4), "interview"),
    ]
    return moods, events


def _artist(figure, gid):
    [axes] = figure.axes
    found = [a for a in axes.get_children() if a.get_gid() == gid]
    return found[0] if found else None


def test_known_history_draws_the_line_and_every_event():
    moods, events = _known_history()
    figure = chart.mood_figure(
        moods, events, first_day=date(2026, 1, 8), last_day=date(2026, 2, 6), zone=ZoneInfo("UTC")
    )
    line = _artist(figure, "mood")
    assert list(line.get_ydata()) == [4, 3, 1, 2, 3, 4]
    assert len(_artist(figure, "application").get_offsets()) == 2
    assert len(_artist(figure, "rejection").get_offsets()) == 1
    assert len(_artist(figure, "interview").get_offsets()) == 1
    [axes] = figure.axes
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["Mood", "Rejection", "Interview", "Application"]

    png = chart.to_png(figure)
    assert png.startswith(b"\x89PNG")
    assert chart.png_size(png) == chart.SIZE == (800, 400)
    assert 10_000 < len(png) < 300_000


def test_no_events_draws_no_markers():
    moods, _ = _known_history()
    figure = chart.mood_figure(
        moods, [], first_day=date(2026, 1, 8), last_day=date(2026, 2, 6), zone=ZoneInfo("UTC")
    )
    assert _artist(figure, "rejection") is None and _artist(figure, "application") is None
    assert chart.png_size(chart.to_png(figure)) == chart.SIZE


async def test_fewer_than_two_moods_get_a_kind_word(chat: Chat):
    await chat.send("/chart")
    assert "at least two mood entries" in chat.text
    assert chat.last[0].attachment is None
    await chat.send("/mood 3")
    await chat.send("/chart")
    assert "I have 1" in chat.text


async def test_chart_is_a_photo_with_the_events_of_the_search(chat: Chat, clock):
    await chat.send("/mood 4")
    await chat.send("/applied Acme - Analyst")
    await chat.press("No goal")
    clock.advance(days=3)
    await chat.send("/rejected Acme - Analyst")
    await chat.press("Final round")
    await chat.press("2")
    await chat.press("That's enough")
    await chat.send("/chart")
    [picture] = chat.last
    assert picture.attachment is not None
    assert picture.attachment.kind == "photo"
    assert picture.attachment.filename.endswith(".png")
    assert chart.png_size(picture.attachment.data) == chart.SIZE
    assert picture.personal and picture.typing
    assert "Red marks are rejections" in picture.text
    await chat.press("Last 90 days")
    assert "last 90 days" in chat.text
    await chat.send("/chart 45")
    assert "/chart 30 or /chart 90" in chat.text


async def test_terminal_writes_the_chart_file(engine: Engine, tmp_path: Path):
    import io

    from bot.terminal.adapter import TerminalChat

    out = io.StringIO()
    terminal = TerminalChat(
        engine, "carol", stdout=out, files_dir=tmp_path, today=lambda: date(2026, 3, 2)
    )
    for line in ("/mood 2", "/mood 4", "/chart", "/chart"):
        await terminal.handle_line(line)
    saved = tmp_path / "rebound-mood-chart-carol-2026-03-02.png"
    again = tmp_path / "rebound-mood-chart-carol-2026-03-02-2.png"
    assert saved.exists() and str(saved) in out.getvalue()
    assert again.exists() and str(again) in out.getvalue(), "the first one was overwritten"
    assert chart.png_size(saved.read_bytes()) == chart.SIZE


async def test_superscript_and_huge_ranges_are_not_numbers(chat: Chat):
    for argument in ("⁹⁰", "³⁰", "9" * 5000, "45"):
        await chat.send(f"/chart {argument}")
        assert "Try /chart 30 or /chart 90" in chat.text
        assert "went wrong" not in chat.text.lower()
