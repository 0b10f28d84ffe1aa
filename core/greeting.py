"""How to greet the person a feedback request goes to, from the name as typed.

``greeting_name`` reads what people type when asked for the recruiter's or
interviewer's name ("the recruiter, Sarah", "Ms. Lumbergh (Bill)", "dr. jane smith",
"SARAH", "no idea") and returns the name to put after "Hi", or None when it is unsure
(the draft then opens with a neutral greeting). Word lists live in
``content/feedback_templates.toml`` ([greeting]).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from core import content

_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
_QUOTED = re.compile(r"[\"“”‘’']([^\"“”‘’']+)[\"“”‘’']")
_SEPARATORS = re.compile(r"\s*[,:;/|–—]\s*|\s+-\s+")
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'’.][^\W\d_]*)*\.?$")


@cache
def _words() -> dict[str, Any]:
    raw = content.data("feedback_templates")["greeting"]
    return {
        "titles": {t.casefold() for t in raw["titles"]},
        "roles": {r.casefold() for r in raw["roles"]},
        "unsure": {u.casefold() for u in raw["unsure"]},
        "particles": {p.casefold() for p in raw["particles"]},
        "lead_ins": tuple(re.compile(rf"^{p}\s+", re.IGNORECASE) for p in raw["lead_ins"]),
        "pronouns": re.compile(raw["pronouns"], re.IGNORECASE),
    }


def _is_name_word(word: str) -> bool:
    return bool(_NAME_WORD.match(word))


def _cased(word: str) -> str:
    """ "sarah" -> "Sarah", "SARAH" -> "Sarah", "mary-jane" -> "Mary-Jane"; a word with
    its own mix of cases ("McDonald", "DeShawn") stays as typed."""
    if word.islower() or (word.isupper() and len(word) > 1):
        return re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), word.lower())
    return word


def _strip_roles(part: str) -> str:
    """ "the recruiter Sarah" -> "Sarah", "Sarah from HR" -> "Sarah"."""
    words = _words()
    part = re.split(r"\s+(?:from|at|of|in)\s+", part, maxsplit=1, flags=re.IGNORECASE)[0]
    kept = [w for w in part.split() if w.casefold().strip(".") not in words["roles"]]
    return " ".join(kept)


def _person(part: str) -> str | None:
    """The greeting for one person's words, or None."""
    words = _words()
    tokens = [t.strip(".,!?") if not t.endswith(".") else t for t in part.split()]
    tokens = [t.lstrip("@") for t in tokens if t.strip(".")]
    if not tokens or not all(_is_name_word(t) for t in tokens):
        return None
    title = None
    if tokens[0].casefold().rstrip(".") in words["titles"]:
        title, tokens = tokens[0], tokens[1:]
        if not tokens:
            return None
        title = title[0].upper() + title[1:].lower() if not title.isupper() else title
    if title is not None:
        rest = tokens
        if len(rest) >= 2 and rest[0].casefold() not in words["particles"]:
            rest = rest[1:]  # a given name after the title: greet by title and surname
        surname = " ".join(w if w.casefold() in words["particles"] else _cased(w) for w in rest)
        return f"{title} {surname}"
    first = tokens[0]
    if len(first.rstrip(".")) == 1:  # an initial: "J. Smith" is greeted in full
        return " ".join(_cased(t) for t in tokens) if len(tokens) > 1 else None
    return _cased(first)


def greeting_name(typed: str | None) -> str | None:
    """The name to greet someone by, from the name as the person typed it; None when
    unsure (a role alone, an e-mail address, digits, "not sure"), for a neutral greeting.

    A preferred name in brackets or quotes wins ("Ms. Lumbergh (Bill)" -> "Bill");
    roles around the name go ("the recruiter, Sarah" -> "Sarah"); a title keeps the
    surname ("dr. jane smith" -> "Dr. Smith"); otherwise the first name, in capitals
    where it was typed all in lower or upper case. Two people joined by "and" are both
    greeted.
    """
    if typed is None:
        return None
    text = " ".join(typed.split()).strip(" .,!?")
    words = _words()
    if not text or "@" in text.lstrip("@") or any(c.isdigit() for c in text):
        return None
    for lead_in in words["lead_ins"]:
        text = lead_in.sub("", text)
    if text.casefold() in words["unsure"]:
        return None
    for pattern in (_QUOTED, _BRACKETED):
        for inner in pattern.findall(text):
            inner = inner.strip()
            if words["pronouns"].fullmatch(inner) or not inner:
                continue
            preferred = _person(_strip_roles(inner))
            if preferred is not None and " " not in preferred:
                return preferred
        text = pattern.sub(" ", text)
    people = re.split(r"\s+(?:and|&)\s+", text, flags=re.IGNORECASE)
    if len(people) == 2:
        both = [_person(_strip_roles(p)) for p in people]
        if all(both):
            return f"{both[0]} and {both[1]}"
        return None
    candidates = [_strip_roles(p) for p in _SEPARATORS.split(text)]
    found = [name for name in (_person(c) for c in candidates if c) if name]
    return found[0] if len(found) == 1 else None
