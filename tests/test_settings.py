"""Settings from the environment, as .env.example documents them."""

from __future__ import annotations

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
