"""Settings from the environment, as .env.example documents them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_example_file_is_valid_and_starts_the_terminal_chat(monkeypatch, tmp_path):
    """Copied as it is to .env, .env.example sets no token: the terminal chat."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_TOKEN", "DISCORD_TOKEN", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    settings = Settings()
    assert not settings.has_platform_token
    assert settings.scheduler_enabled and settings.database_pool_size == 5


def test_every_setting_is_documented_in_the_example_file():
    documented = (ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in documented, name


@pytest.mark.parametrize(("raw", "ids"), [("0,1", [0, 1]), ("[2, 3]", [2, 3]), ("", None)])
def test_discord_shard_ids_take_a_list_in_either_form(monkeypatch, raw, ids):
    monkeypatch.setenv("DISCORD_SHARD_IDS", raw)
    assert Settings(_env_file=None).discord_shard_ids == ids  # type: ignore[call-arg]


def test_tokens_are_secret_in_reprs(monkeypatch):
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:very-secret-token-value-here-000")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "very-secret" not in repr(settings) and "very-secret" not in str(settings)


def _run_in(folder: Path, args: list[str], stdin: str = "", **env: str):
    """``python -m bot ARGS`` started in ``folder``, with no DATABASE_URL or LOG_LEVEL of
    the caller's."""
    import os
    import subprocess
    import sys

    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DISCORD_", "LOG_", "DATABASE_"))
    }
    environment.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=folder,
        env=environment,
        timeout=60,
    )


@pytest.mark.slow
def test_the_terminal_chat_keeps_one_history_whatever_folder_it_starts_in(tmp_path):
    """No DATABASE_URL: the data lives in the user's data folder, said on stderr."""
    data_home = tmp_path / "data"
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    saved = _run_in(
        first, ["chat", "--user", "sam"], "/strengths add Patient\n", XDG_DATA_HOME=str(data_home)
    )
    assert saved.returncode == 0, saved.stderr
    shown = _run_in(second, ["chat", "--user", "sam"], "/strengths\n", XDG_DATA_HOME=str(data_home))
    assert "Patient" in shown.stdout
    database = data_home / "rebound" / "rebound.db"
    assert database.is_file()
    assert str(database) in shown.stderr and str(database) not in shown.stdout
    assert not list(first.glob("*.db")) and not list(second.glob("*.db"))


def test_database_url_still_decides_where_the_data_lives(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'mine.db'}"
    done = _run_in(
        tmp_path, ["chat"], "/mood 3\n", DATABASE_URL=url, XDG_DATA_HOME=str(tmp_path / "d")
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mine.db").is_file() and not (tmp_path / "d").exists()
    assert "keeps its data" not in done.stderr


@pytest.mark.parametrize("command", [["chat"], ["dispatch"]])
@pytest.mark.slow
def test_log_level_in_dot_env_applies_to_every_subcommand(tmp_path, command):
    """asyncio says which selector it uses at DEBUG: a line that shows the level took."""
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"}
    quiet = _run_in(tmp_path, command, **env)
    assert quiet.returncode == 0 and "DEBUG" not in quiet.stderr
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n")
    loud = _run_in(tmp_path, command, **env)
    assert loud.returncode == 0, loud.stderr
    assert "DEBUG" in loud.stderr


def test_a_new_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path):
    previous = os.umask(0o022)  # a usual umask would leave a new file world-readable
    try:
        path = tmp_path / "people.db"
        Settings(
            _env_file=None, database_url=f"sqlite+aiosqlite:///{path}"
        ).prepare_database_folder()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        path.chmod(0o644)  # an existing file is left as the operator made it
        Settings(
            _env_file=None, database_url=f"sqlite+aiosqlite:///{path}"
        ).prepare_database_folder()
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    finally:
        os.umask(previous)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://u:p@db:5432/rebound", "postgresql+asyncpg://u:p@db:5432/rebound"),
        ("postgresql://u:p@db/rebound", "postgresql+asyncpg://u:p@db/rebound"),
        ("postgresql+asyncpg://u:p@db/rebound", "postgresql+asyncpg://u:p@db/rebound"),
        ("sqlite:////srv/rebound.db", "sqlite+aiosqlite:////srv/rebound.db"),
    ],
)
def test_a_database_url_gets_the_async_driver(monkeypatch, raw, expected):
    monkeypatch.setenv("DATABASE_URL", raw)
    assert Settings(_env_file=None).database_url == expected  # type: ignore[call-arg]


def test_log_level_takes_any_case(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert Settings(_env_file=None).log_level == "DEBUG"  # type: ignore[call-arg]


def test_blank_settings_keep_their_defaults_and_words_take_any_case(monkeypatch):
    for name in ("EVENT_LOOP", "DATABASE_POOL_SIZE", "DATABASE_UNIT_THREADS"):
        monkeypatch.setenv(name, "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.event_loop, settings.database_pool_size) == ("uvloop", 5)
    assert settings.database_unit_threads == 0
    monkeypatch.setenv("EVENT_LOOP", "AsyncIO")
    assert Settings(_env_file=None).event_loop == "asyncio"  # type: ignore[call-arg]
