"""The command line of docs/DESIGN.md, run as real subprocesses on a real SQLite file."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUTTON = re.compile(r"^  \[(\d+)\] (.+)$")


def run_bot(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "LOG_"))
    }
    environment.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'rebound.db'}",
        PYTHONPATH=str(ROOT),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )


def messages(transcript: str) -> list[tuple[str, list[str]]]:
    """Split a transcript into (first line of each bot message, its button labels)."""
    found: list[tuple[str, list[str]]] = []
    for line in transcript.splitlines():
        if line.startswith("bot> "):
            found.append((line[5:], []))
        elif (match := BUTTON.match(line)) and found:
            found[-1][1].append(match[2])
    return found


def test_classify_prints_one_fixed_intent_per_text(tmp_path: Path):
    texts = [
        "I got turned down by Acme",
        "I want to die",
        "what am I good at",
        "can I ask them for feedback?",
        "I want to learn SQL properly",
        "I applied to Globex today",
        "feeling pretty low",
        "hi",
        "thanks a lot",
        "help",
        "purple elephants",
    ]
    result = run_bot(["classify", *texts], tmp_path)
    assert result.returncode == 0
    assert result.stdout.split() == [
        "rejection",
        "crisis",
        "strengths",
        "feedback",
        "skills",
        "applied",
        "mood",
        "greeting",
        "thanks",
        "help",
        "unknown",
    ]
    piped = run_bot(["classify"], tmp_path, stdin="hello there\nthis rejection is killing me\n")
    assert piped.stdout.split() == ["greeting", "rejection"]


def test_chat_through_a_pipe(tmp_path: Path):
    script = "/mood\n3\nskip\n/strengths add Patient with hard problems\n/strengths\n9\n²\n"
    result = run_bot(["chat", "--user", "pipe"], tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    found = messages(result.stdout)
    assert found[0][1] == ["1", "2", "3", "4", "5"]
    assert found[1][0] == "Logged: 3/5."
    assert found[3][0].startswith("Want to add a few words")
    assert found[4][0] == "Okay, just the score."  # typing a button's label presses it
    assert any("Patient with hard problems" in first for first, _ in found)
    assert "1. Patient with hard problems" in result.stdout
    assert "There's no button 9" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_default_command_without_tokens_is_the_chat(tmp_path: Path):
    result = run_bot([], tmp_path, stdin="/help\n")
    assert result.returncode == 0
    assert result.stdout.startswith("bot> ")


def test_strengths_and_a_half_finished_dialog_survive_a_restart(tmp_path: Path):
    first = run_bot(
        ["chat", "--user", "sam"], tmp_path, stdin="/strengths add Calm in a crisis\n/start\nSam\n"
    )
    assert "Which time zone" in first.stdout
    second = run_bot(["chat", "--user", "sam"], tmp_path, stdin="Tokyo\n/strengths\n")
    assert "mood" in messages(second.stdout)[0][0].lower()  # the consent step followed
    assert "1. Calm in a crisis" in second.stdout
    with sqlite3.connect(tmp_path / "rebound.db") as db:
        assert db.execute("select name, timezone from users").fetchall() == [("Sam", "Asia/Tokyo")]


def test_migrate_creates_the_schema_in_wal_mode(tmp_path: Path):
    result = run_bot(["migrate"], tmp_path)
    assert result.returncode == 0
    with sqlite3.connect(tmp_path / "rebound.db") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
        mode = db.execute("pragma journal_mode").fetchone()[0]
    assert {"users", "strengths", "mood_entries", "schedules", "deliveries"} <= tables
    assert mode == "wal"


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_chat_users_are_separate(tmp_path: Path, user: str):
    run_bot(["chat", "--user", "alice"], tmp_path, stdin="/strengths add Alice's own\n")
    result = run_bot(["chat", "--user", user], tmp_path, stdin="/strengths\n")
    assert ("Alice's own" in result.stdout) == (user == "alice")
