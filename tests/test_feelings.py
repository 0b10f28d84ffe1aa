"""Reading a typed feeling (core/feelings.py) and answering it first (core/engine.py)."""

from __future__ import annotations

import pytest

from core.engine import intent_of
from core.feelings import Feeling, doubtful, read
from core.intents import Intent


@pytest.mark.parametrize(
    ("typed", "feeling"),
    [
        ("i give up", Feeling.DESPAIR),
        ("maybe I should just stop applying", Feeling.DESPAIR),
        ("nobody will ever hire me", Feeling.DESPAIR),
        ("what's the point", Feeling.DESPAIR),
        ("I'm useless", Feeling.SELF_CRITICISM),
        ("what's wrong with me", Feeling.SELF_CRITICISM),
        ("I'm not good at anything", Feeling.SELF_CRITICISM),
        ("I'm so tired of this", Feeling.FATIGUE),
        ("this job search is killing me", Feeling.FATIGUE),
        ("I applied to 50 jobs and nothing", Feeling.FATIGUE),
        ("so nervous about Thursday", Feeling.ANXIOUS),
        ("this is so unfair", Feeling.ANGRY),
        ("feeling pretty low", Feeling.LOW),
        ("I'm not doing well", Feeling.LOW),
        ("I feel relieved", Feeling.RELIEF),
        ("feeling a bit better", Feeling.RELIEF),
        ("I feel great today", Feeling.JOY),
        ("I'm okay", Feeling.STEADY),
        ("I explain hard things simply", None),
        ("not good at giving up", None),
        ("Acme - Analyst", None),
    ],
)
def test_a_typed_feeling_is_read(typed: str, feeling: Feeling | None):
    assert read(typed) is feeling


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("this job search is killing me", Intent.MOOD),  # not an application
        ("I applied to 50 jobs and nothing", Intent.MOOD),
        ("I'm useless", Intent.MOOD),  # not a request to see strengths
        ("i give up", Intent.MOOD),  # not unknown
        ("I applied to Globex today", Intent.APPLIED),
        ("what am I good at?", Intent.STRENGTHS),
        ("I got turned down by Acme, I'm gutted", Intent.REJECTION),  # the news comes first
        ("I got an offer", Intent.GOOD_NEWS),
    ],
)
def test_a_heavy_feeling_outranks_a_topic_word_but_not_news(typed: str, intent: Intent):
    assert intent_of(typed) is intent


@pytest.mark.parametrize(
    ("typed", "unsure"),
    [
        ("not bad at SQL", True),
        ("never give up?", True),
        ("I explain hard things simply", False),
        ("Calm when things break", False),
    ],
)
def test_a_doubtful_strength_is_flagged(typed: str, unsure: bool):
    assert doubtful(typed) is unsure
