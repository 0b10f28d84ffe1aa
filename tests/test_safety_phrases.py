"""The crisis check against the labelled phrases of tests/data/crisis_phrases.toml.

Reports recall on explicit and implicit phrases and the false-positive rate on the
negatives (run with ``-s`` to see the figures); fails if one explicit phrase (English,
German, French or Spanish) is missed or more than 5% of the negatives trigger. The
``held_out`` phrases were written after the patterns and are never tuned on: their
recall is printed, not gated, as an honest estimate for messages nobody anticipated.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.safety import is_crisis

PHRASES = tomllib.loads((Path(__file__).parent / "data" / "crisis_phrases.toml").read_text())
MAX_FALSE_POSITIVE_RATE = 0.05
EXPLICIT = [p for key, v in PHRASES.items() if key.startswith("explicit") for p in v]
NEGATIVE = [
    p for key, v in PHRASES.items() if key.startswith(("negative", "hard_negative")) for p in v
]


def _rate(phrases: list[str], *, caught: bool) -> tuple[float, list[str]]:
    wrong = [p for p in phrases if is_crisis(p) is not caught]
    return 1 - len(wrong) / len(phrases), wrong


def test_the_phrase_file_is_big_enough_and_has_hard_negatives():
    assert sum(len(v) for v in PHRASES.values()) >= 150
    assert len(PHRASES["hard_negative"]) >= 30
    assert len(PHRASES["explicit"]) >= 40 and len(PHRASES["implicit"]) >= 25
    for language in ("de", "fr", "es"):
        assert len(PHRASES[f"explicit_{language}"]) >= 8, language
    assert len(PHRASES["held_out"]) >= 20


@pytest.mark.parametrize(
    "phrase",
    [
        "I feel like dying",
        "I wish I wasn't born",
        "I wish i could just not exist",
        "Ich will sterben",
        "ich will mich umbringen",
        "je veux mourir",
        "je veux me suicider",
        "quiero morir",
        "me quiero suicidar",
    ],
)
def test_review_misses_are_caught(phrase: str):
    assert is_crisis(phrase)


def test_recall_and_false_positive_rate():
    explicit, missed_explicit = _rate(EXPLICIT, caught=True)
    implicit, missed_implicit = _rate(PHRASES["implicit"], caught=True)
    held_out, missed_held_out = _rate(PHRASES["held_out"], caught=True)
    negatives = NEGATIVE
    specificity, false_positives = _rate(negatives, caught=False)
    hard, _ = _rate(PHRASES["hard_negative"], caught=False)
    # Captured: shown with `pytest -s` only, so phrase lists stay out of the suite's output.
    print(
        f"\ncrisis check: explicit recall {explicit:.1%} ({len(EXPLICIT)}), "
        f"implicit recall {implicit:.1%} ({len(PHRASES['implicit'])}), "
        f"false positives {1 - specificity:.1%} of {len(negatives)} "
        f"(hard negatives {1 - hard:.1%}); "
        f"held-out recall {held_out:.1%} ({len(PHRASES['held_out'])}, not gated)"
    )
    for phrase in missed_held_out:
        print(f"  held-out missed: {phrase!r}")
    for phrase in missed_implicit:
        print(f"  implicit missed: {phrase!r}")
    for phrase in false_positives:
        print(f"  false positive: {phrase!r}")
    assert not missed_explicit, f"explicit phrases missed: {missed_explicit}"
    assert 1 - specificity <= MAX_FALSE_POSITIVE_RATE, f"false positives: {false_positives}"
