"""Bring the schema up to date with Alembic, on the application's own engine."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.database import Database

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
LOCK_KEY = 0x5EB0_0D
"""PostgreSQL advisory lock held while migrating (any number unique to Rebound)."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def migrate(db: Database) -> None:
    """Apply every migration not yet applied (all heads)."""

    def upgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workers starting together take turns: the first migrates, the rest then
            # find the schema current.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        await connection.run_sync(upgrade)
    logger.info("database schema is up to date")
