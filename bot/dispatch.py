"""``python -m bot dispatch``: one scheduler pass at an instant, then exit.

Placeholder until the scheduled-care work lands: it runs no pass and prints nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.settings import Settings

logger = logging.getLogger(__name__)


async def run_once(settings: Settings, now: datetime, *, as_json: bool) -> int:
    logger.warning("scheduled delivery is not built yet; nothing was sent")
    return 0
