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
    for _ in range(10):
        for _ in range(affirmations.ON_DEMAND_PER_DAY):
            await chat.send("/affirmation")
            texts.add(chat.last[0].text)
        clock.advance(days=1)
    assert len(texts) == 30
    assert {a.text for a in affirmations.catalogue()} >= texts
    async with db.read() as session:
        assert len((await session.scalars(select(AffirmationSeen))).all()) == 30
    await chat.send("/affirmation")
    await chat.press("Another one")
    assert chat.last[0].text not in texts


async def test_another_one_is_limited_a_day(chat, db, clock):
    await chat.send("/affirmation")
    await chat.press("Another one")
    await chat.press("Another one")
    assert "Another one" not in [b.label for b in chat.last[0].buttons]
    await chat.send("/affirmation")
    assert "for today" in chat.text
    async with db.read() as session:
        assert len((await session.scalars(select(AffirmationSeen))).all()) == 3
    clock.advance(days=1)
    await chat.send("/affirmation")
    assert "for today" not in chat.text
    assert "Another one" in [b.label for b in chat.last[0].buttons]


def test_timed_texts_go_out_only_at_their_hour():
    timed = [a for a in affirmations.catalogue() if a.time]
    assert {a.time for a in timed} == {"morning", "evening"}
    assert any("tonight" in a.text for a in timed if a.time == "evening")
    untimed = {a.id: NOW for a in affirmations.catalogue() if not a.time}
    for hour in (8, None):
        chosen = affirmations.choose([1], untimed, random.Random(5), hour=hour)
        assert chosen.time != "evening"
    assert affirmations.choose([1], untimed, random.Random(5), hour=21).time == "evening"
    morning_only = {a.id: NOW for a in affirmations.catalogue() if a.time != "morning"}
    assert affirmations.choose([1], morning_only, random.Random(6), hour=7).time == "morning"


def test_untagged_texts_do_not_name_a_time_of_day():
    for a in affirmations.catalogue():
        if a.time is None:
            assert not any(w in a.text.lower() for w in ("tonight", "this morning", "sleep")), a.id


def test_someone_who_saw_nothing_lately_can_get_every_text_that_suits_them():
    """A scheduler pass picks for most people from a list kept per hour and mood band:
    every text of the band's themes that fits the hour can come, an ``energy`` one only
    for a good mood, and nothing else."""
    rng = random.Random(8)
    for scores in ([], [1, 2], [3], [5, 4]):
        band = affirmations.mood_band(scores)
        themes = affirmations.THEMES_BY_MOOD.get(band, ()) if band else ()
        for hour in (None, 7, 14, 21):
            allowed = {
                a.id
                for a in affirmations.catalogue()
                if a.fits(hour)
                and (not themes or a.theme in themes)
                and (band == "good" or not a.energy)
            }
            picked = {affirmations.choose(scores, {}, rng, hour=hour).id for _ in range(1500)}
            assert picked == allowed, (scores, hour)
