"""Reading the short fields people type (``Company - Role``, names, numbers) and
writing the small pieces of sentences several dialogs share (a named application, a
date, a count with its plural). The words themselves live in the content files."""

from __future__ import annotations

import re
from datetime import date

from core import content

FIELD_LIMIT = 200
_SEPARATORS = (" - ", " – ", " — ", " / ", ",")
_EDGE_SEPARATORS = "-–—/,"


def clean(text: str) -> str | None:
    """Whitespace collapsed; None when nothing is left."""
    return " ".join(text.split()) or None


def split_company_role(text: str) -> tuple[str | None, str | None]:
    """``"Acme - Data Analyst"`` -> ("Acme", "Data Analyst"); either part may be absent.

    A leading separator means the role alone (``"- Data Analyst"`` -> (None, "Data
    Analyst")), a trailing one the company alone; a separator on its own is nothing.
    """
    stripped = " ".join(text.split())
    if stripped[:1] in _EDGE_SEPARATORS:
        rest = stripped[1:]
        if rest.strip(_EDGE_SEPARATORS + " ") == "":
            return None, None
        return None, clean(rest)
    if stripped[-1:] in _EDGE_SEPARATORS:
        return clean(stripped[:-1].rstrip(_EDGE_SEPARATORS + " ")), None
    for separator in _SEPARATORS:
        if separator in stripped:
            company, _, role = stripped.partition(separator)
            return clean(company), clean(role)
    return clean(stripped), None


_SENTENCE_STARTS = frozenset({"i", "i've", "i’ve", "ive", "just", "got", "was", "we", "my"})


def has_separator(text: str) -> bool:
    """Whether typed text is written as fields (``Applied Materials - Engineer``) rather
    than as a sentence ("I applied to Acme - Analyst"): a `` - `` between the parts, and
    a first word that starts a name, not a sentence."""
    words = text.split()
    spaced = f" {' '.join(words)} "
    if not any(separator in spaced for separator in _SEPARATORS[:4]):
        return False
    first = words[0] if words else ""
    return first[:1].isupper() and first.lower() not in _SENTENCE_STARTS


def too_long(*values: str | None, limit: int = FIELD_LIMIT) -> bool:
    return any(v is not None and len(v) > limit for v in values)


def company_role(company: str | None, role: str | None) -> str:
    """How an application or rejection is named in a sentence: ``Analyst at Acme``;
    either part alone; empty when neither is known."""
    if company and role:
        return content.text("applied.named_full", company=company, role=role)
    return company or role or ""


def plural(key: str, number: int, /, **values: object) -> str:
    """The sentence under ``key``, or under ``key_one`` when ``number`` is 1 (the
    number itself is passed in ``values`` under whatever name the sentence uses)."""
    chosen = f"{key}_one" if number == 1 and content.has_text(f"{key}_one") else key
    return content.text(chosen, **values)


def format_date(day: date, *, year: bool = False, weekday: bool = True) -> str:
    """``Wed 1 Apr`` (``year``: ``Wed 1 Apr 2026``; no ``weekday``: ``1 Apr``), with the
    English names from the content files, whatever the process locale."""
    key = "progress.date_" + ("day" if weekday else "short") + ("_year" if year else "")
    return content.text(
        key,
        weekday=content.texts("progress.weekdays")[day.weekday()],
        day=day.day,
        month=content.texts("progress.months")[day.month - 1],
        year=day.year,
    )


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


_RECORD_ID = re.compile(r"[0-9]{1,18}")


def record_id(value: str | None, prefix: str) -> int | None:
    """The row id in a button value like ``a12`` (``prefix`` "a"); None otherwise."""
    if not value or not value.startswith(prefix):
        return None
    digits = value[len(prefix) :]
    return int(digits) if _RECORD_ID.fullmatch(digits) else None
