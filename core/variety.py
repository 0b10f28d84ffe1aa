"""Several wordings of the messages a person sees often, never the same one soon.

A frequent message is stored as a list in its data file (``open = ["...", "..."]``).
``say`` picks the first wording the person has not seen within ``WINDOW``; when all
were seen, the one seen longest ago. So with N wordings nobody sees a repeat within
14 days unless they got the message more than N times in that time, and never the same
wording twice in a row (for N >= 2). What was shown is kept per person in
``variant_uses`` (``storage/repositories/variants.py``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core import content
from storage.repositories import variants

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=14)
"""No wording is repeated to one person within this window while an unseen one is left."""


def wordings(key: str) -> list[str]:
    """Every wording stored under ``key``: the list's items, or the single sentence."""
    found = content.texts(key)
    if found:
        return found
    return [content.text(key)]


async def choose(session: AsyncSession, user_id: int, key: str, now: datetime) -> int:
    """The index of the wording of ``key`` to show ``user_id`` at ``now`` (UTC), recorded
    as seen. Raises ``KeyError`` if ``key`` is not in the content files."""
    count = len(wordings(key))
    if count == 1:
        return 0
    seen = await variants.last_used(session, user_id, key)
    fresh = [i for i in range(count) if i not in seen or now - seen[i] > WINDOW]
    if fresh:
        index = fresh[0]
    else:
        index = min(range(count), key=lambda i: seen[i])
    await variants.record(session, user_id, key, index, now)
    return index


async def say(
    session: AsyncSession, user_id: int, key: str, now: datetime, **values: object
) -> str:
    """One wording of the frequent message ``key`` for this person, placeholders filled
    from ``values`` (see ``choose``)."""
    index = await choose(session, user_id, key, now)
    template = wordings(key)[index]
    return template.format(**values) if values else template


async def seen_since(session: AsyncSession, user_id: int, key: str, since: datetime) -> int:
    """How many wordings of ``key`` the person saw after ``since`` (UTC)."""
    seen = await variants.last_used(session, user_id, key)
    return sum(1 for at in seen.values() if at > since)
