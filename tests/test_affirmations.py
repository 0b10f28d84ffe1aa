"""Choosing an affirmation (core/affirmations.py) and /affirmation."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core import affirmations
from storage.models import AffirmationSeen

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)


def test_catalogue_has_every_theme_and_unique_ids():
    entries = affirmations.catalogue()
    assert len(entries) >= 60
    assert len({a.id for a in entries}) == len(entries)
    assert {a.theme for a in entries} == {
        "self-worth",
        "resilience",
        "growth",
        "strengths",
        "persistence",
    }


def test_a_low_mood_gets_self_worth_or_resilience():
    rng = random.Random(1)
    themes = {affirmations.choose([1, 2, 2], {}, rng).theme for _ in range(50)}
    assert themes <= {"self-worth", "resilience"}


def test_a_good_mood_gets_strengths_growth_or_persistence():
    rng = random.Random(2)
    themes = {affirmations.choose([5, 4], {}, rng).theme for _ in range(50)}
    assert themes <= {"strengths", "growth", "persistence"}


def test_only_the_latest_scores_count():
    assert affirmations.mood_band([1, 1, 2, 5, 5, 5]) == "low"
    assert affirmations.mood_band([3]) == "middling"
    assert affirmations.mood_band([]) is None


def test_seen_ones_are_avoided_then_other_themes_then_the_oldest():
    low = [a for a in affirmations.catalogue() if a.theme in ("self-worth", "resilience")]
    seen = {a.id: NOW for a in low}
    chosen = affirmations.choose([1], seen, random.Random(3))
    assert chosen.theme not in ("self-worth", "resilience")

    everything = affirmations.catalogue()
    seen = {a.id: NOW - timedelta(days=1) for a in everything}
    seen[everything[7].id] = NOW - timedelta(days=20)
    assert affirmations.choose([1], seen, random.Random(4)) == everything[7]


async def test_affirmation_command_never_repeats_and_is_recorded(chat, db, clock):
    texts = set()
    for _ in range(40):
        await chat.send("/affirmation")
        texts.add(chat.last[0].text)
        clock.advance(hours=1)
    assert len(texts) == 40
    assert {a.text for a in affirmations.catalogue()} >= texts
    async with db.read() as session:
        assert len((await session.scalars(select(AffirmationSeen))).all()) == 40
    await chat.press("Another one")
    assert chat.last[0].text not in texts
