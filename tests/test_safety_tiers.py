"""The two safety tiers (issue 11, docs/labelling.md) on the issue's own examples, and
the gate on the tuned sets: every crisis example of ``core/content/examples/safety`` is
answered with the crisis reply. Figures on blind sets are printed by
``bench/bench_classifier.py``, not here."""

from __future__ import annotations

import pytest

from core.classifier import read_examples
from core.safety import MAX_CHARS, Tier, tier

CRISIS = [
    "i have the pills ready",
    "been cutting again since the layoff",
    "on the roof rn",
    "thinkin bout endin it all",
    "I can't stop thinking about killing myself",
    "I'm not suicidal but I've been cutting again",
    "i want to kill myself",
    "ich will mich umbringen",
    "je veux me suicider",
    "me quiero suicidar",
]
ASK = [
    "I don't see the point anymore",
    "everything feels hopeless",
    "wish I could just not wake up",
    "im not suicidal, just really frustrated",
    "I volunteered on a suicide prevention hotline, should I put it on my CV",
    "I'm not going to kill myself, I'm just so tired of all this",
    "everyone would be better off without me",
]
NONE = [
    "I'm dying to hear back",
    "this interview killed me",
    "I killed it in the presentation",
    "that would be career suicide",
    "shoot me an email when you can",
    "they picked someone else",
    "I got an offer!!",
]


@pytest.mark.parametrize("typed", CRISIS)
def test_crisis_tier(typed: str):
    assert tier(typed) is Tier.CRISIS


@pytest.mark.parametrize("typed", ASK)
def test_ask_tier(typed: str):
    assert tier(typed) is Tier.ASK


@pytest.mark.parametrize("typed", NONE)
def test_no_risk(typed: str):
    assert tier(typed) is Tier.NONE


def test_every_tuned_crisis_example_gets_the_crisis_reply():
    missed = [t for t in read_examples("safety")["crisis"] if tier(t) is not Tier.CRISIS]
    assert not missed, f"{len(missed)} crisis examples missed, e.g. {missed[:5]}"


def test_tuned_ask_examples_get_at_least_the_question():
    missed = [t for t in read_examples("safety")["ask"] if tier(t) is Tier.NONE]
    assert not missed, f"{len(missed)} ask examples missed, e.g. {missed[:5]}"


def test_tuned_hard_negatives_rarely_get_the_crisis_reply():
    negatives = read_examples("safety")["none"]
    wrong = [t for t in negatives if tier(t) is Tier.CRISIS]
    assert len(wrong) <= 0.02 * len(negatives), wrong[:10]


def test_a_risk_at_the_end_of_a_huge_message_is_found():
    filler = "The final round at Acme went fine and I will hear back next week. " * 20_000
    assert len(filler) > 1_000_000
    assert tier(filler) is Tier.NONE
    assert tier(filler + " I have the pills ready and I'm doing it tonight.") is Tier.CRISIS


def test_a_risk_in_a_long_message_is_not_diluted():
    job_talk = "I spent the week polishing my CV and sending it to three companies. " * 30
    assert len(job_talk) < MAX_CHARS
    message = job_talk + "Honestly I wish I could just not wake up. " + job_talk
    assert tier(message) is not Tier.NONE
