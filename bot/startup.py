"""Start-up failures in one line: what went wrong and what to do about it.

Opening and migrating the database is the first thing every command does; when the
file is corrupt, read-only, missing its folder, or was made by a newer Rebound, the
person running the command needs one sentence, not a 90-line traceback.
"""

from __future__ import annotations

from alembic.util.exc import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

DATABASE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, CommandError, OSError)
"""What opening or migrating a database raises when the database, not the code, is at
fault (SQLAlchemy wraps the driver's errors; Alembic raises CommandError for a revision
it does not know)."""


def where(url: str) -> str:
    """The database as the operator named it: a SQLite file's path, or the URL without
    its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "(in memory)"
    return parsed.render_as_string(hide_password=True)


def explain_database_error(error: BaseException, url: str) -> str:
    """One line (no newline) for a database that could not be opened or migrated.

    ``error`` is one of ``DATABASE_ERRORS``; ``url`` is ``DATABASE_URL``. Never includes
    a password (the URL is rendered without it; driver messages do not carry it).
    """
    place = where(url)
    text = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
    lowered = text.lower()
    if isinstance(error, CommandError) and "can't locate revision" in lowered:
        return (
            f"the database {place} was written by a newer version of Rebound ({text}); "
            "upgrade Rebound, or set DATABASE_URL to another database"
        )
    if "not a database" in lowered or "malformed" in lowered:
        return (
            f"the database file {place} is damaged or is not a SQLite database; restore it "
            "from a backup, or set DATABASE_URL to another file"
        )
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return (
            f"the database {place} is read-only for this user; give it (and its folder) "
            "write permission, or set DATABASE_URL to a file that can be written"
        )
    if "unable to open database file" in lowered:
        return (
            f"cannot open the database file {place}; check that its folder exists and "
            "can be written, or set DATABASE_URL"
        )
    return f"cannot use the database {place} ({text}); check DATABASE_URL"
