"""Reading the short fields people type: ``Company - Role``, names, numbers."""

from __future__ import annotations

import re

FIELD_LIMIT = 200
_SEPARATORS = (" - ", " – ", " — ", " / ", ",")


def clean(text: str) -> str | None:
    """Whitespace collapsed; None when nothing is left."""
    return " ".join(text.split()) or None


def split_company_role(text: str) -> tuple[str | None, str | None]:
    """``"Acme - Data Analyst"`` -> ("Acme", "Data Analyst"); either part may be absent."""
    for separator in _SEPARATORS:
        if separator in text:
            company, _, role = text.partition(separator)
            return clean(company), clean(role)
    return clean(text), None


def too_long(*values: str | None, limit: int = FIELD_LIMIT) -> bool:
    return any(v is not None and len(v) > limit for v in values)


def company_role(company: str | None, role: str | None) -> str:
    """How an application or rejection is named in a sentence: ``Acme, Analyst``."""
    return ", ".join(part for part in (company, role) if part)


_SMALL_INT = re.compile(r"[0-9]{1,6}")


def small_int(text: str, low: int, high: int) -> int | None:
    """A plain ASCII whole number from ``low`` to ``high``; None for anything else.

    ``str.isdigit`` accepts ``²`` and ``①`` (which ``int`` refuses) and numbers of any
    length; this accepts only up to six ASCII digits.
    """
    stripped = text.strip()
    if not _SMALL_INT.fullmatch(stripped):
        return None
    value = int(stripped)
    return value if low <= value <= high else None
