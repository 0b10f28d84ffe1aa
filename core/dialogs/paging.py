"""Long lists one page at a time: ``limits.PAGE_LINES`` lines or ``limits.PAGE_BUTTONS``
buttons per message, and a "More" button whose value carries the next offset."""

from __future__ import annotations

from core.dialog import Context
from core.messages import Button

MORE_PREFIX = "more:"


def more_button(ctx: Context, offset: int, total: int) -> Button:
    """The "More" button: answers the next step with ``more:<offset>``."""
    return ctx.choice(ctx.say("paging.more", left=total - offset), f"{MORE_PREFIX}{offset}")


def more_offset(choice: str | None, total: int) -> int | None:
    """The offset a "More" button asked for (clamped into ``0..total``), or None when
    ``choice`` is not a "More" press."""
    if not choice or not choice.startswith(MORE_PREFIX):
        return None
    digits = choice.removeprefix(MORE_PREFIX)
    if not digits.isdigit() or len(digits) > 9:
        return None
    return min(int(digits), max(total - 1, 0))


def range_line(ctx: Context, offset: int, shown: int, total: int) -> str:
    """``Showing 21-40 of 213.``, for a page that is not the whole list."""
    return ctx.say("paging.range", first=offset + 1, last=offset + shown, total=total)
