"""Start-up and the terminal's edges (issue 18): a database that cannot be used ends any
command with one clear line; bad bytes on stdin are replaced, not fatal; files written
for a person are readable by their owner only."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.terminal.adapter import TerminalChat
from core.engine import Engine
from tests.test_cli import ROOT


def run_bot(
    args: list[str],
    tmp_path: Path,
    stdin: str | bytes = "",
    url: str | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """``python -m bot ARGS`` in ``tmp_path`` on ``url`` (default: rebound.db there)."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "LOG_"))
    }
    environment.update(
        DATABASE_URL=url or f"sqlite+aiosqlite:///{tmp_path / 'rebound.db'}",
        PYTHONPATH=str(ROOT),
        **env,
    )
    data = stdin if isinstance(stdin, bytes) else stdin.encode()
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=data,
        capture_output=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def _one_line_failure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rebound: ")
    return lines[0]


@pytest.mark.parametrize("command", [["chat"], ["migrate"], ["dispatch"], []])
def test_a_corrupt_database_is_one_line(tmp_path: Path, command: list[str]):
    (tmp_path / "rebound.db").write_bytes(b"this is not a database at all " * 200)
    line = _one_line_failure(run_bot(command, tmp_path, stdin="/help\n"))
    assert "damaged or is not a SQLite database" in line and "rebound.db" in line


def test_a_read_only_database_is_one_line(tmp_path: Path):
    path = tmp_path / "rebound.db"
    sqlite3.connect(path).close()  # an empty file that needs migrating
    url = f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true"
    line = _one_line_failure(run_bot(["chat"], tmp_path, stdin="/help\n", url=url))
    assert "read-only" in line


def test_a_database_from_a_newer_rebound_is_one_line(tmp_path: Path):
    assert run_bot(["migrate"], tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "rebound.db") as db:
        db.execute("update alembic_version set version_num = '9999'")
    line = _one_line_failure(run_bot(["chat"], tmp_path, stdin="/help\n"))
    assert "newer version of Rebound" in line


def test_a_missing_folder_is_one_line(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'rebound.db'}"
    line = _one_line_failure(run_bot(["chat"], tmp_path, stdin="/help\n", url=url))
    assert "cannot open the database file" in line


def test_invalid_utf8_on_stdin_is_replaced_not_fatal(tmp_path: Path):
    script = b"/strengths add Calm \xff\xfe under pressure\n/strengths\n"
    result = run_bot(["chat", "--user", "sam"], tmp_path, stdin=script)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "1. Calm \ufffd\ufffd under pressure" in result.stdout  # kept, bad bytes replaced


async def test_files_written_for_a_person_are_theirs_only(engine: Engine, tmp_path: Path):
    out = io.StringIO()
    chat = TerminalChat(engine, "sam", stdin=io.StringIO(), stdout=out, files_dir=tmp_path)
    await chat.handle_line("/strengths add Patient")
    os.umask(0o022)  # a usual umask would leave new files world-readable
    await chat.handle_line("/export")
    (name,) = [n for n in os.listdir(tmp_path) if n.startswith("rebound-export-sam-")]
    exported = tmp_path / name
    assert str(exported) in out.getvalue()
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    assert "Patient" in exported.read_text()


def test_an_invalid_setting_is_one_line(tmp_path: Path):
    line = _one_line_failure(run_bot(["chat"], tmp_path, stdin="/help\n", PORT="eighty"))
    assert "PORT is not valid" in line and "eighty" not in line


def test_a_webhook_secret_the_adapter_cannot_use_is_one_line(tmp_path: Path):
    result = run_bot(
        [],
        tmp_path,
        TELEGRAM_TOKEN="123456:not-a-real-token-abcdefghijklmnopqrstuv",
        TELEGRAM_WEBHOOK_URL="https://rebound.example.org/hook",
        TELEGRAM_WEBHOOK_SECRET="has spaces",
        LOG_LEVEL="WARNING",
    )
    assert "TELEGRAM_WEBHOOK_SECRET must be" in _one_line_failure(result)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("mysql://rebound:secret@localhost/rebound", "use sqlite+aiosqlite"),
        ("not a url", "not a database URL"),
    ],
)
def test_a_database_url_rebound_cannot_use_is_one_line(tmp_path: Path, url: str, why: str):
    line = _one_line_failure(run_bot(["chat"], tmp_path, stdin="/help\n", url=url))
    assert "DATABASE_URL" in line and why in line
    assert "secret" not in line  # never the URL: it may hold a password


def test_a_plain_sqlite_url_gets_the_async_driver(tmp_path: Path):
    """``sqlite:///`` (and ``postgres://``, as Heroku-style hosts set it) name no async
    driver; Rebound fills in the one it runs on."""
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    result = run_bot(["chat", "--user", "p"], tmp_path, stdin="/mood 3\n", url=url)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "bot>" in result.stdout
    assert (tmp_path / "plain.db").exists()


def test_an_unknown_log_level_is_one_line(tmp_path: Path):
    line = _one_line_failure(run_bot(["chat"], tmp_path, stdin="/help\n", LOG_LEVEL="verbose"))
    assert "LOG_LEVEL" in line and "WARNING" in line
