"""Settings from the environment or a ``.env`` file (documented in ``.env.example``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import (
    Field,
    PrivateAttr,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

APP_NAME = "rebound"


def default_database_path() -> Path:
    """The SQLite file used when ``DATABASE_URL`` is not set: ``rebound.db`` in the
    user's data folder (platformdirs: ``~/.local/share/rebound`` on Linux, or under
    ``$XDG_DATA_HOME``; ``~/Library/Application Support/rebound`` on macOS;
    the local app data folder on Windows), so that the terminal chat finds the same
    history from whatever folder it starts in. The folder is not created here."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "rebound.db"


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DRIVERS = {
    "postgres://": "postgresql+asyncpg://",
    "postgresql://": "postgresql+asyncpg://",
    "sqlite://": "sqlite+aiosqlite://",
}
"""A URL's plain scheme -> the same with the async driver Rebound runs on."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    database_url: str = ""
    """Empty: a SQLite file in the user's data folder (``default_database_path``)."""
    _database_is_default: bool = PrivateAttr(default=False)
    database_pool_size: int = Field(default=5, ge=1, le=100)
    database_unit_threads: int = Field(default=0, ge=0, le=100)
    """PostgreSQL: 0 runs each message on asyncpg (the most messages per second
    measured); N runs messages on N database threads over psycopg 3 (steadier p99)."""
    log_level: str = "INFO"
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"
    """The bot's event loop: uvloop where it is installed (faster), or asyncio's own."""

    telegram_token: SecretStr | None = None
    telegram_api_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    port: int = Field(default=8443, description="webhook port; Heroku-style hosts set PORT")

    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_shard_count: int | None = None
    discord_shard_ids: list[int] | None = None

    scheduler_enabled: bool = True
    """Run the delivery job in this process. With several workers, keep it on in one or
    a few: each one paces itself to the platform's whole rate."""
    scheduler_interval_seconds: float = 30.0
    delivery_grace_hours: float = 6.0
    delivery_claim_timeout_seconds: float = Field(default=600.0, gt=0)
    """A scheduled message claimed this long ago by a worker that died is sent again."""
    crisis_pause_hours: float = 72.0
    invite_uses: int = Field(default=5, ge=1, le=50)
    """How many friends can use one /invite (the number is also said in the invite)."""

    @field_validator(
        "telegram_token",
        "telegram_webhook_secret",
        "discord_token",
        "telegram_api_url",
        "telegram_webhook_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("discord_guild_id", "discord_shard_count", "discord_shard_ids", mode="before")
    @classmethod
    def _blank_number_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _shard_ids_as_list(cls, value: object) -> object:
        """``0,1`` as well as ``[0,1]``."""
        if isinstance(value, str) and not value.strip().startswith("["):
            return [part.strip() for part in value.split(",") if part.strip()] or None
        return value

    @field_validator("event_loop", "database_pool_size", "database_unit_threads", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object, info: ValidationInfo) -> object:
        """A setting left blank, as ``.env.example`` lists them, keeps its default; a
        word is read in any case (``EVENT_LOOP=UVLOOP``)."""
        if isinstance(value, str):
            if not value.strip():
                return cls.model_fields[info.field_name or ""].default
            return value.strip().lower()
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_log_level(cls, value: object) -> object:
        """DEBUG, INFO, WARNING, ERROR or CRITICAL, in any case; blank is the default."""
        if isinstance(value, str):
            if not value.strip():
                return "INFO"
            if value.strip().upper() not in LOG_LEVELS:
                raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
            return value.strip().upper()
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _async_driver(cls, value: object) -> object:
        """The async driver Rebound needs, filled in for a URL that names none:
        ``postgres://`` and ``postgresql://`` (as Heroku-style hosts set them) become
        ``postgresql+asyncpg://``, ``sqlite:///`` becomes ``sqlite+aiosqlite:///``.
        Anything else is refused here, with a reason and never the URL (it may hold a
        password)."""
        if not isinstance(value, str) or not value.strip():
            return value
        text = value.strip()
        for plain, driver in DRIVERS.items():
            if text.startswith(plain):
                text = driver + text[len(plain) :]
                break
        try:
            url = make_url(text)
        except Exception:
            raise ValueError("not a database URL") from None
        if f"{url.drivername}://" not in DRIVERS.values():
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://...")
        return text

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url.strip():
            self.database_url = f"sqlite+aiosqlite:///{default_database_path()}"
            self._database_is_default = True
        return self

    @property
    def database_is_default(self) -> bool:
        """True when ``DATABASE_URL`` was not set and the data-folder file is used."""
        return self._database_is_default

    @property
    def log_level_set(self) -> bool:
        """Whether ``LOG_LEVEL`` came from the environment or ``.env`` (not the default)."""
        return "log_level" in self.model_fields_set

    def prepare_database_folder(self) -> Path | None:
        """Create the data folder of the default SQLite file (mode 0700), and create a
        SQLite file that does not exist yet readable by its owner only (0600: it holds
        personal data; SQLite gives its -wal and -shm files the same mode). Returns the
        default file's path, or None when ``DATABASE_URL`` names a database."""
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            _create_owner_only(Path(url.database).expanduser())
        if not self.database_is_default:
            return None
        path = default_database_path()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _create_owner_only(path)
        return path

    @property
    def has_platform_token(self) -> bool:
        """Whether a platform that ``python -m bot`` runs is turned on (bot/platforms.py)."""
        from bot.platforms import builtin

        return bool(builtin().enabled(self))

    def data_folder(self) -> Path:
        """Where Rebound keeps small files of its own (the Discord command hash): the
        folder of the SQLite database file, or the user's data folder (platformdirs)
        for any other database. Not created here."""
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(url.database).expanduser().resolve().parent
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _create_owner_only(path: Path) -> None:
    """Create an empty file at ``path`` with mode 0600 unless it exists (or its folder
    does not: opening the database then reports that in one line)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except (FileExistsError, FileNotFoundError, NotADirectoryError, PermissionError):
        pass
