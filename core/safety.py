"""The safety check every typed message passes before anything else.

Two tiers (docs/labelling.md): CRISIS gets the full crisis reply, ASK gets one direct
question ("Are you having thoughts of suicide or of hurting yourself?"), as ASQ and
C-SSRS practice asks rather than guesses. High-precision patterns
(``content/crisis_patterns.toml``) always win for the crisis tier; a learned model
(``core/classifier.py``, trained on ``content/examples/safety``) adds recall and decides
Ask. Detection has no memory: "no, I'm fine" after a hit switches nothing off, and the
next risky message is checked again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from core import content

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
_LEET = str.maketrans("013457@$", "oieastas")
_LEET_CHARS = frozenset("013457@$")
_NUMBER_LIKE = re.compile(r"[$£€]?\d+([.,:]\d+)*(am|pm|k|m|st|nd|rd|th|s|h|x|yo|yrs?|mins?)?")
_CONTRACTIONS = (
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (
        re.compile(
            r"\b(it|that|what|there|here|who|nothing|everything|everyone|everybody|"
            r"life|he|she|this|where|how|nobody|one)'s\b"
        ),
        r"\1 is",
    ),
    (re.compile(r"\bany more\b"), "anymore"),
)
_INNER_BANG = re.compile(r"(?<=[a-z])[!|](?=[a-z])")
_NOT_WORD = re.compile(r"[^\w']+|_")
_SPELLED_OUT = re.compile(r"\b[a-z](?: [a-z]){2,}\b")
_LONG_RUN = re.compile(r"(\w)\1{2,}")


class Tier(StrEnum):
    """How sure the check is that a message is about the person's life or safety
    (docs/labelling.md; ASQ and C-SSRS practice: ask directly when unsure)."""

    CRISIS = "crisis"
    """The full crisis reply: intent, plan, means, time, preparations, self-harm, attempts."""
    ASK = "ask"
    """The direct question: passive wishes, hopelessness, burden, negated or topic
    mentions, and what the classifier is unsure of."""
    NONE = "none"


_RANK = {Tier.NONE: 0, Tier.ASK: 1, Tier.CRISIS: 2}


@dataclass(frozen=True)
class _Rule:
    """One pattern, compiled without its leading ``\\b`` (which keeps ``re`` from
    using its first-character prefilter, about 5x slower); the word boundary is checked
    on each candidate match instead, so the matches are the same."""

    pattern: re.Pattern[str]
    at_word_start: bool

    @classmethod
    def compile(cls, source: str) -> _Rule:
        if source.startswith("\\b") and not source.startswith("\\b)"):
            return cls(re.compile(source[2:]), True)
        return cls(re.compile(source), False)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        position = 0
        while (match := self.pattern.search(text, position)) is not None:
            start = match.start()
            if not self.at_word_start or start == 0 or not _WORD_CHAR(text[start - 1]):
                yield match
            position = start + 1 if match.end() == start or self.at_word_start else match.end()
            if position > len(text):
                return

    def search(self, text: str) -> re.Match[str] | None:
        match = self.pattern.search(text)
        if match is None:  # most rules, most messages: no generator to build
            return None
        start = match.start()
        if not self.at_word_start or start == 0 or not _WORD_CHAR(text[start - 1]):
            return match
        return next(self.finditer(text), None)


def _WORD_CHAR(c: str) -> bool:
    return c.isalnum() or c == "_"


@dataclass(frozen=True)
class _Patterns:
    shorthand: dict[str, str]
    crisis: tuple[_Rule, ...]
    ask: tuple[_Rule, ...]
    not_crisis: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    raw = content.data("crisis_patterns")
    patterns = raw["patterns"]
    return _Patterns(
        shorthand=dict(raw["shorthand"]),
        crisis=tuple(_Rule.compile(p) for p in patterns["crisis"]),
        ask=tuple(_Rule.compile(p) for p in patterns["ask"]),
        not_crisis=re.compile("|".join(f"(?:{p})" for p in patterns["not_crisis"])),
    )


def _plain(text: str) -> str:
    """Compatibility forms folded, accents and invisible characters dropped, lower case."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    kept = (c for c in text if unicodedata.category(c) not in ("Mn", "Cf", "Cc") or c.isspace())
    return "".join(kept).translate(_QUOTES).lower()


def _word(token: str, shorthand: dict[str, str]) -> str:
    if token in shorthand:
        return shorthand[token]
    if (
        any(c in _LEET_CHARS for c in token)
        and any(c.isalpha() for c in token)
        and not _NUMBER_LIKE.fullmatch(token.rstrip(".,;:!?)"))
    ):
        token = token.translate(_LEET)
    return shorthand.get(token, token)


def _spaced(text: str) -> str:
    """Plain text with contractions, shorthand and leetspeak spelled out, words
    separated by single spaces."""
    text = _INNER_BANG.sub("i", _plain(text))
    shorthand = _patterns().shorthand
    text = " ".join(_word(token, shorthand) for token in text.split())
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return " ".join(_NOT_WORD.sub(" ", text.replace("'", "")).split())


def _expand(text: str) -> str:
    shorthand = _patterns().shorthand
    return " ".join(shorthand.get(token, token) for token in text.split())


def normalise(text: str) -> str:
    """Lower case, plain letters and quotes, contractions, chat shorthand and
    leetspeak spelled out, punctuation as spaces."""
    return _expand(_spaced(text))


def _variants(text: str) -> set[str]:
    """The normalised text, with letters typed one by one joined ("d i e"), and with
    stretched letters shortened two ways ("diiie" -> "diie", "die")."""
    spaced = _spaced(text)
    forms = {_expand(spaced), _expand(_SPELLED_OUT.sub(_join, spaced))}
    for form in list(forms):
        if _LONG_RUN.search(form):
            forms |= {_LONG_RUN.sub(r"\1\1", form), _LONG_RUN.sub(r"\1", form)}
    return forms


def _join(match: re.Match[str]) -> str:
    return match.group().replace(" ", "")


MAX_CHARS = 16_384
"""Only this much of a message is checked (the first MAX_CHARS - TAIL_CHARS and the
last TAIL_CHARS characters, where a farewell tends to stand), so that the check takes
bounded time on any input. Telegram allows 4,096 characters, Discord 2,000 (4,000 with
Nitro); only the terminal chat and ``classify`` accept longer lines."""
TAIL_CHARS = 4_096
SEGMENT_CHARS = 280
"""A message longer than this is also scored sentence by sentence (see segments)."""
PIECE_CHARS = 160
"""The longest piece of a long message the model scores on its own."""
MODEL_HEAD_CHARS = 1_120
"""How much of a long message the model also scores as a whole."""
_NEGATION = frozenset({"not", "never", "nor"})
_NEGATION_WINDOW = 3
"""A crisis-list hit is negated when "not", "never" or "nor" stands among the three
words before it ("I'm not suicidal", "I'd never kill myself"), or "no" right before it.
A negation inside a hit is part of what was matched ("I don't want to live"). Not
negations: a double negative ("can't stop thinking about killing myself", "can't help
wanting to die") and emphasis ("no joke", "not kidding", "not gonna lie")."""
_UNDOING = frozenset(
    {"stop", "help", "resist", "quit", "shake", "control", "joke", "kidding", "joking"}
    | {"lie", "lying", "cap", "even", "just", "only"}
)
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def mask_hyperbole(normal: str) -> str:
    """Normalised text with the everyday hyperbole of ``crisis_patterns.toml``'s
    ``not_crisis`` list blanked out ("career suicide", "dying to hear"), as the rules
    and the learned model both read it."""
    return _patterns().not_crisis.sub(" ", normal)


def hyperbole_source() -> str:
    """The hyperbole patterns as one string (part of a trained model's fingerprint)."""
    return _patterns().not_crisis.pattern


def bounded(text: str) -> str:
    """``text`` cut to at most MAX_CHARS characters (head and tail kept)."""
    if len(text) <= MAX_CHARS:
        return text
    return f"{text[: MAX_CHARS - TAIL_CHARS]}\n{text[-TAIL_CHARS:]}"


def _negated(masked: str, start: int) -> bool:
    before = masked[max(0, start - 60) : start].split()[-_NEGATION_WINDOW:]
    if before and before[-1] == "no":
        return True
    for index, word in enumerate(before):
        if word in _NEGATION and not _UNDOING.intersection(before[index + 1 :]):
            return True
    return False


def rule_tier(text: str) -> Tier:
    """The tier the patterns of ``content/crisis_patterns.toml`` give ``text``: a
    crisis-list hit that is not negated is CRISIS; a negated one, or an ask-list hit,
    is ASK; everyday hyperbole is blanked out first. No hit: NONE."""
    return _rule_hits(text)[0]


def _rule_hits(text: str) -> tuple[Tier, bool]:
    """(the rules' tier, whether a crisis-list hit was negated)."""
    if not text or not text.strip():
        return Tier.NONE, False
    patterns = _patterns()
    found, negated = Tier.NONE, False
    for variant in _variants(bounded(text)):
        masked = patterns.not_crisis.sub(" ", variant)
        for rule in patterns.crisis:
            if rule.pattern.search(masked) is None:
                continue  # the common case, without building finditer's generator
            for match in rule.finditer(masked):
                if not _negated(masked, match.start()):
                    return Tier.CRISIS, negated
                found, negated = Tier.ASK, True
        if found is Tier.NONE and any(rule.search(masked) for rule in patterns.ask):
            found = Tier.ASK
    return found, negated


def segments(text: str) -> list[str]:
    """What the model scores: the message, and for a long one (over SEGMENT_CHARS) its
    sentences too, grouped into pieces of at most PIECE_CHARS characters, so that one
    risky sentence among many ordinary ones is not diluted. A sentence longer than
    PIECE_CHARS is cut at a space."""
    text = bounded(text)
    if len(text) <= SEGMENT_CHARS:
        return [text]
    pieces = [text[:MODEL_HEAD_CHARS]]
    current = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > PIECE_CHARS:
            cut = sentence.rfind(" ", 0, PIECE_CHARS)
            cut = cut if cut > 0 else PIECE_CHARS
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if current and len(current) + len(sentence) + 1 > PIECE_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


@dataclass(frozen=True)
class Thresholds:
    """Where the model's probabilities become a tier; chosen by measuring on the tuned
    sets and kept in ``content/classifier.toml`` (one place, as Rasa keeps its fallback
    thresholds)."""

    crisis: float
    ask: float


@cache
def thresholds() -> Thresholds:
    raw = content.data("classifier")["safety"]
    return Thresholds(crisis=float(raw["crisis"]), ask=float(raw["ask"]))


def model_scores(text: str) -> tuple[float, float]:
    """(P(crisis), P(crisis or ask)) from the learned model, the highest over the
    message's segments."""
    from core.classifier import model

    fitted = model("safety")
    crisis = at_risk = 0.0
    for piece in segments(text):
        p = fitted.probabilities(piece)
        crisis = max(crisis, p["crisis"])
        at_risk = max(at_risk, p["crisis"] + p["ask"])
    return crisis, at_risk


def tier(text: str) -> Tier:
    """The safety tier of one typed message (any length; bounded time).

    The patterns' crisis hits always win. Otherwise the learned model decides: CRISIS
    above ``thresholds().crisis``, ASK above ``thresholds().ask`` (crisis and ask
    together) or on any pattern hit, else NONE. A negated crisis hit is never answered
    below ASK, nor above it by the model alone ("I'm not suicidal, just frustrated").
    """
    if not text or not text.strip():
        return Tier.NONE
    by_rules, negated_hit = _rule_hits(text)
    if by_rules is Tier.CRISIS:
        return Tier.CRISIS
    crisis, at_risk = model_scores(text)
    limits = thresholds()
    if crisis >= limits.crisis and not negated_hit:
        return Tier.CRISIS
    if by_rules is Tier.ASK or at_risk >= limits.ask:
        return Tier.ASK
    return Tier.NONE


def is_crisis(text: str) -> bool:
    """True when ``text`` is in the crisis tier (the full crisis reply)."""
    return tier(text) is Tier.CRISIS
