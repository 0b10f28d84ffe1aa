"""Settings from the environment or a ``.env`` file (documented in ``.env.example``)."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///rebound.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    database_url: str = DEFAULT_DATABASE_URL
    database_pool_size: int = Field(default=5, ge=1, le=100)
    log_level: str = "INFO"

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

    @property
    def has_platform_token(self) -> bool:
        return self.telegram_token is not None or self.discord_token is not None
