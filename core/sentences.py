"""Reading a sentence about the job search: "I applied to Hooli for a backend role
yesterday", "turned down by Acme for the analyst role after the final round", "got an
offer from Initech last Friday".

``read(text, local_now)`` gives what the sentence names: the kind of news (applied,
rejected, offer, interview), the company, the role, the stage and the day, each None
when the sentence does not say. Dates in words are read by dateparser (relative to
the person's own local time, so "yesterday" is their yesterday); the phrases that open
such a sentence and join its parts live in ``core/content/sentences.toml``.

Only what a sentence clearly says is taken: a capitalised month or weekday inside a
name ("May Designs", "Monday.com") is part of the name, not a date.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from core import content, feelings

logger = logging.getLogger(__name__)

KINDS = ("applied", "rejected", "offer", "interview")
STAGES = ("application", "screening", "technical", "final", "offer")
_ORDINAL_DAY = re.compile(r"^(?:on\s+)?(?:the\s+)?([0-9]{1,2})(?:st|nd|rd|th)$", re.IGNORECASE)
_EDGE = " \t.,;:!?'\"()"


@dataclass(frozen=True, slots=True)
class Said:
    """What one sentence names; every field None when it does not say."""

    kind: str | None = None
    """One of ``KINDS``: the news the sentence gives."""
    company: str | None = None
    role: str | None = None
    stage: str | None = None
    """One of ``STAGES``."""
    day: date | None = None
    """The local calendar day the sentence names ("yesterday"), never in the future."""

    @property
    def named(self) -> bool:
        return self.company is not None or self.role is not None


@cache
def _words() -> dict[str, Any]:
    return dict(content.data("sentences"))


def _phrases(*keys: str) -> list[str]:
    found: Any = _words()
    for key in keys:
        found = found[key]
    return sorted((str(p) for p in found), key=len, reverse=True)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = " ".join(text.split()).strip(_EDGE)
    return stripped or None


# -- dates -----------------------------------------------------------------------------


def find_day(text: str, local_now: datetime) -> tuple[date | None, str]:
    """The past (or today's) local day a sentence names, and the sentence without it.

    ``local_now`` is the person's aware local time: "yesterday" is the day before its
    date. Dates are found by ``dateparser.search.search_dates`` (English); a match
    inside a capitalised name ("May Designs") is ignored: only a phrase at the end of
    the sentence or one starting with a lower-case word counts. "the 3rd" is the
    latest 3rd of a month up to today. A date in the future is ignored (an
    application or a rejection has happened already).
    """
    from dateparser.search import search_dates

    base = local_now.replace(tzinfo=None)
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = search_dates(text, languages=["en"], settings=settings) or []
    except Exception:  # dateparser raises assorted errors on odd input
        logger.debug("dateparser could not search a sentence")
        return None, text
    for phrase, when in found:
        start = text.find(phrase)
        end = start + len(phrase)
        at_end = text[end:].strip(_EDGE) == ""
        first = phrase.strip().split()[0] if phrase.strip() else ""
        if not (at_end or first[:1].islower()):
            continue
        if re.fullmatch(r"[0-9]+", phrase.strip()):
            continue  # a bare number is a count or part of a name, not a date
        day = _ordinal_day(phrase, base.date()) or when.date()
        if day > base.date():
            continue
        rest = (text[:start] + " " + text[end:]).strip()
        return day, " ".join(rest.split())
    return None, text


def _ordinal_day(phrase: str, today: date) -> date | None:
    """ "the 3rd" -> the latest 3rd up to ``today`` (dateparser reads a lone ordinal as
    a month)."""
    match = _ORDINAL_DAY.match(phrase.strip())
    if match is None:
        return None
    day_number = int(match[1])
    year, month = today.year, today.month
    for _ in range(3):
        try:
            candidate = date(year, month, day_number)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            return candidate
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return None


def future_day(text: str, local_now: datetime) -> date | None:
    """A day from today on, in words: "next Friday", "in two weeks", "30 April",
    "by Christmas", "end of march"; None when the text names none.

    Fixed-date holidays come from ``core/content/dates.toml`` (dateparser knows none);
    "end of" is worked out here; everything else is dateparser, relative to
    ``local_now`` (the person's aware local time) and preferring future dates.
    """
    import dateparser

    today = local_now.date()
    lowered = " ".join(text.lower().split()).strip(_EDGE)
    for lead in ("by ", "before ", "until ", "till ", "on ", "for "):
        if lowered.startswith(lead):
            lowered = lowered[len(lead) :]
            break
    holiday = _holiday(lowered, today)
    if holiday is not None:
        return holiday
    end_of = _end_of(lowered, local_now)
    if end_of is not None:
        return end_of
    settings = {
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        when = dateparser.parse(lowered, languages=["en"], settings=settings)
    except Exception:
        return None
    if when is None:
        return None
    return when.date() if when.date() >= today else None


def _holiday(lowered: str, today: date) -> date | None:
    holidays = content.data("dates")["holidays"]
    name = lowered.removeprefix("the ")
    if name not in holidays:
        return None
    month, day = (int(p) for p in str(holidays[name]).split("-"))
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def _end_of(lowered: str, local_now: datetime) -> date | None:
    """ "end of march" / "the end of the month" / "end of the year"."""
    import dateparser

    text = lowered.removeprefix("the ")
    if not text.startswith("end of "):
        return None
    what = text.removeprefix("end of ").removeprefix("the ")
    today = local_now.date()
    if what == "month":
        following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        return following - timedelta(days=1)
    if what == "year":
        return date(today.year, 12, 31)
    if what == "week":
        return today + timedelta(days=6 - today.weekday())
    month = dateparser.parse(
        f"1 {what}",
        languages=["en"],
        settings={"RELATIVE_BASE": local_now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"},
    )
    if month is None:
        return None
    following = (month.date().replace(day=1) + timedelta(days=32)).replace(day=1)
    last = following - timedelta(days=1)
    return last if last >= today else date(last.year + 1, last.month, last.day)


# -- stages ----------------------------------------------------------------------------


def find_stage(text: str) -> tuple[str | None, str]:
    """The interview stage a sentence names ("after the final round" -> final), and the
    sentence without that phrase. Stage words come from ``debrief.stage_words``."""
    lowered = text.lower()
    leads = _phrases("joins", "stage_lead")
    tails = _phrases("joins", "stage_tail")
    for name in STAGES:
        if name in ("offer", "application"):
            continue  # "an offer" and "application" are the news itself, not a stage
        words = sorted(content.texts(f"debrief.stage_words.{name}"), key=len, reverse=True)
        for word in words:
            for match in re.finditer(rf"\b{re.escape(word)}\b", lowered):
                start, end = match.start(), match.end()
                before_words = lowered[:start].split()
                for skipped in range(3):  # "after the phone screen": a word between
                    before = " ".join(before_words[: len(before_words) - skipped])
                    lead = next((w for w in leads if before.endswith(" " + w) or before == w), None)
                    if lead is not None:
                        start = _offset_of_words(lowered, len(before_words) - skipped)
                        start -= len(lead) + (1 if start - len(lead) > 0 else 0)
                        break
                after = lowered[end:]
                for tail in tails:
                    if after.startswith(" " + tail):
                        end += len(tail) + 1
                        break
                if start == match.start() and not any(
                    after.startswith(" " + tail) for tail in tails
                ):
                    continue  # "technical" alone may be part of a role: "technical writer"
                rest = (text[:start] + " " + text[end:]).strip()
                return name, " ".join(rest.split())
    return None, text


def _offset_of_words(text: str, count: int) -> int:
    """Where the text after its first ``count`` words starts (at the space before it)."""
    position = 0
    for _ in range(count):
        while position < len(text) and text[position].isspace():
            position += 1
        while position < len(text) and not text[position].isspace():
            position += 1
    return position


# -- company and role ------------------------------------------------------------------


def _starts(lowered: str, phrase: str) -> bool:
    return lowered == phrase or lowered.startswith(phrase + " ")


def _lead(text: str) -> tuple[str | None, str | None, str]:
    """(kind, company named before the verb, the rest after the verb)."""
    lowered = text.lower()
    best: tuple[int, str, int, int] | None = None  # (-length, kind, start, end)
    for kind in KINDS:
        for phrase in _phrases("lead", kind):
            if _starts(lowered, phrase):
                candidate = (-len(phrase), kind, 0, len(phrase))
                if best is None or candidate < best:
                    best = candidate
    if best is not None:
        return best[1], None, text[best[3] :].strip()
    for kind in _words()["after_company"]:
        for phrase in _phrases("after_company", kind):
            match = re.search(rf"\s{re.escape(phrase)}\b", lowered)
            if match:
                company = _clean(text[: match.start()])
                return kind, company, text[match.end() :].strip()
    return None, None, text


def _role(text: str | None) -> str | None:
    """ "a backend role" -> "backend"; "the role of analyst" -> "analyst"; "a job" -> None."""
    value = _clean(text)
    if value is None:
        return None
    lowered = value.lower()
    articles = _phrases("joins", "articles")
    for article in articles:
        if _starts(lowered, article):
            value = value[len(article) :].strip()
            lowered = value.lower()
            break
    for phrase in _phrases("joins", "role_of"):
        if _starts(lowered, phrase):
            value = value[len(phrase) :].strip()
            lowered = value.lower()
            for article in articles:
                if _starts(lowered, article):
                    value = value[len(article) :].strip()
                    break
            return _clean(value)
    words = value.split()
    if words and words[-1].lower() in _phrases("joins", "role_ends"):
        words.pop()
    return _clean(" ".join(words))


def _split_at(text: str, joins: list[str]) -> tuple[str, str | None, str | None]:
    """``text`` cut at the first whole-word join: (before, join, after)."""
    lowered = text.lower()
    best: tuple[int, str] | None = None
    for join in joins:
        match = re.search(rf"\s{re.escape(join)}\s", f" {lowered} ")
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), join)
    if best is None:
        return text, None, None
    position, join = best
    return text[:position].strip(), join, text[position + len(join) + 1 :].strip()


def company_and_role(rest: str) -> tuple[str | None, str | None]:
    """What follows the verb: "to Hooli for a backend role" -> ("Hooli", "backend");
    "for a Data Analyst role at Goal Inc" -> ("Goal Inc", "Data Analyst");
    "by Acme for the analyst role" -> ("Acme", "analyst")."""
    text = _clean(rest)
    if text is None:
        return None, None
    lowered = text.lower()
    company_joins = _phrases("joins", "company")
    role_joins = _phrases("joins", "role")
    role_ends = _phrases("joins", "role_ends")
    first = lowered.split()[0]
    body = text[len(first) :].strip()
    company_part: str | None
    role_part: str | None
    if first in role_joins and (
        any(re.search(rf"\b{re.escape(e)}\b", lowered) for e in role_ends)
        or first == "as"
        or lowered.split()[1:2] in (["a"], ["an"], ["the"])
    ):
        role_part, _join, company_part = _split_at(body, ["at", "with", "in", "to", "by", "from"])
        return _clean(company_part), _role(role_part)
    if first in company_joins:
        company_part, join, role_part = _split_at(body, role_joins)
        if join is None:
            company_part, role_part = _split_fields(body)
        return _clean(company_part), _role(role_part)
    if first in ("the", "a", "an", "my", "their"):
        role_part, _join, company_part = _split_at(text, ["at", "with", "from", "by"])
        return _clean(company_part), _role(role_part)
    company_part, join, role_part = _split_at(text, role_joins)
    if join is None:
        company_part, role_part = _split_fields(text)
    return _clean(company_part), _role(role_part)


def _split_fields(text: str) -> tuple[str | None, str | None]:
    """``Acme - Analyst`` / ``Acme, Analyst`` (core.dialogs.fields.split_company_role)."""
    from core.dialogs.fields import split_company_role  # the dialogs package imports us

    return split_company_role(text)


def warm() -> None:
    """Import dateparser and read one sentence, so the first person's is not slow."""
    read("applied to Acme yesterday", datetime.now(UTC))


def read(text: str, local_now: datetime) -> Said:
    """What a sentence about the job search names (see the module docstring).

    ``local_now``: the person's aware local time. Returns ``Said()`` (all None) for a
    sentence that does not open like news of an application, a rejection, an offer or
    an interview.
    """
    stripped = " ".join(text.split())
    day, without_day = find_day(stripped, local_now)
    stage, without_stage = find_stage(without_day)
    kind, company_before, rest = _lead(without_stage.strip(_EDGE))
    if kind is None:
        return Said()
    company, role = company_and_role(rest)
    if company_before is not None:
        company = company_before
    if role is not None and feelings.read(role) is not None:
        role = None  # "rejected by Stripe, feeling rough": a feeling, not a role
    return Said(kind=kind, company=_company(company), role=role, stage=stage, day=day)


def _company(name: str | None) -> str | None:
    """The company as named, without a trailing "again" or "too"; None for a pronoun or
    a person ("they", "the hiring manager"): those are not company names."""
    if name is None:
        return None
    tails = _phrases("joins", "company_tail")
    trimmed = True
    while trimmed:
        trimmed = False
        lowered = name.lower()
        for tail in tails:
            if lowered.endswith(" " + tail):
                name = name[: -len(tail) - 1].rstrip(_EDGE)
                trimmed = True
                break
    cleaned = _clean(name)
    if cleaned is None or cleaned.lower() in _phrases("joins", "not_company"):
        return None
    return cleaned
