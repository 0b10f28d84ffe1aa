"""What is kept only for a while: half-finished dialogs.

A dialog left open longer than ``STATE_TTL`` (a day) is over: the engine already ignores
it when the person writes again, and the scheduler job deletes it (with whatever it
held: a mood note typed before the consent question was answered, the words of an
unanswered question) even if they never write again. Nothing a person chose to keep
lives in dialog state; those are saved as soon as they are said.
"""

from __future__ import annotations

import logging
from datetime import datetime

from core.engine import STATE_TTL
from storage.database import Database
from storage.repositories import users

logger = logging.getLogger(__name__)


async def forget_stale_dialogs(db: Database, now: datetime) -> int:
    """Delete the dialog state of everyone whose dialog was last moved before ``now``
    (aware UTC) minus ``STATE_TTL``; returns how many were deleted."""
    async with db.write() as session:
        forgotten = await users.forget_states(session, now - STATE_TTL)
    if forgotten:
        logger.info("%d dialogs left for over %s forgotten", forgotten, STATE_TTL)
    return forgotten
