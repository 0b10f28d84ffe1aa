"""End to end: people set up through the terminal chat (a pipe), then
``python -m bot dispatch --now ... --json`` prints their deliveries as JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bot(args: list[str], tmp_path: Path, stdin: str = "") -> str:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "LOG_"))
    }
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'rebound.db'}", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _dispatch(tmp_path: Path, now: datetime) -> list[dict[str, str]]:
    out = _bot(["dispatch", "--now", now.isoformat().replace("+00:00", "Z"), "--json"], tmp_path)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _local(day_offset: int, at: time, zone: str) -> datetime:
    today = datetime.now(UTC).astimezone(ZoneInfo(zone)).date()
    return datetime.combine(today + timedelta(days=day_offset), at, tzinfo=ZoneInfo(zone))


@pytest.mark.slow
def test_dispatch_prints_each_delivery_once_as_json(tmp_path: Path):
    # Ann answers /start through the pipe: name, zone, consent (button 1), 09:00
    # (button 2), then types her check-in days and time.
    onboarding = "/start\nAnn\nKolkata\n1\n2\ndaily 09:30\n"
    transcript = _bot(["chat", "--user", "ann"], tmp_path, onboarding)
    assert "All set, Ann" in transcript
    _bot(["chat", "--user", "bob"], tmp_path, "/timezone America/Los_Angeles\n/affirmations 9\n")

    # Two local days from now, 09:35 in Kolkata: both of Ann's messages are due;
    # Bob's 09:00 in Los Angeles was over 6 hours ago, so his day is skipped.
    at = _local(2, time(9, 35), "Asia/Kolkata").astimezone(UTC)
    deliveries = _dispatch(tmp_path, at)
    local_day = at.astimezone(ZoneInfo("Asia/Kolkata")).date().isoformat()
    assert sorted((d["platform"], d["user"], d["kind"]) for d in deliveries) == [
        ("terminal", "ann", "affirmation"),
        ("terminal", "ann", "checkin"),
    ]
    assert all(d["text"] and d["local_date"] == local_day for d in deliveries)
    checkin = next(d for d in deliveries if d["kind"] == "checkin")
    assert checkin["buttons"] == ["None yet", "1-2", "3 or more"]

    assert _dispatch(tmp_path, at) == []  # the same instant again: nothing twice

    bob_at = _local(3, time(9, 0), "America/Los_Angeles").astimezone(UTC)
    assert [(d["user"], d["kind"]) for d in _dispatch(tmp_path, bob_at)] == [("bob", "affirmation")]

    # Three days later in one pass: one of each for Ann, no backlog.
    later = _dispatch(tmp_path, at + timedelta(days=3))
    assert sorted((d["user"], d["kind"]) for d in later) == [
        ("ann", "affirmation"),
        ("ann", "checkin"),
    ]


def test_dispatch_without_json_is_readable(tmp_path: Path):
    _bot(["chat", "--user", "cy"], tmp_path, "/affirmations 07:00\n")
    at = datetime.combine(datetime.now(UTC).date() + timedelta(days=2), time(7, 1), tzinfo=UTC)
    out = _bot(["dispatch", "--now", at.isoformat()], tmp_path)
    assert out.startswith("[terminal:cy] affirmation\n    ")
