"""The content linter (issue 13): no placeholder left unfilled, no two variants the
same, no message sent twice in a row to one person."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest

from core import content, variety
from core.content import _texts
from storage.repositories import users
from tests.content_lint import (
    lint_transcript,
    normalised,
    placeholders,
    repeats_in_a_row,
    unfilled,
)


def _lists() -> dict[str, list[str]]:
    """Every list of wordings in the text files: key -> its items. Lists of single
    words or short phrases (typed words a step understands) are not messages."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for key in _texts():
        head, _, index = key.rpartition(".")
        if index.isdigit():
            grouped[head].append(key)
    lists = {head: content.texts(head) for head in grouped}
    return {head: items for head, items in lists.items() if any(len(i.split()) >= 4 for i in items)}


LISTS = _lists()


def test_there_are_variants_of_the_frequent_messages():
    for key in (
        "debrief.open",
        "debrief.open_second",
        "debrief.goodbye",
        "mood.reply_low",
        "engine.fallback",
        "applied.streak",
        "feelings.ack.despair",
        "feelings.ack.fatigue",
        "good_news.celebrate.offer",
    ):
        assert len(LISTS[key]) >= 2, key


@pytest.mark.parametrize("key", sorted(LISTS))
def test_no_two_variants_are_the_same(key: str):
    seen = [normalised(v) for v in LISTS[key]]
    assert len(seen) == len(set(seen)), f"{key} has two wordings that are the same"


@pytest.mark.parametrize("key", sorted(LISTS))
def test_variants_of_one_message_need_the_same_placeholders(key: str):
    needed = {frozenset(placeholders(v)) for v in LISTS[key]}
    assert len(needed) == 1, f"{key}: wordings need different placeholders {needed}"


def test_every_sentence_fills_all_its_placeholders():
    for key, template in _texts().items():
        filled = template.format(**dict.fromkeys(placeholders(template), "X"))
        assert not unfilled(filled), key


async def test_a_frequent_message_is_never_sent_twice_in_a_row(db, clock):
    async with db.write() as session:
        person, _, _ = await users.get_or_create(session, "terminal", "lint", clock.now)
        for key, wordings in LISTS.items():
            if len(wordings) < 2:
                continue
            shown = []
            for _ in range(3 * len(wordings)):
                shown.append(await variety.choose(session, person.id, key, clock.now))
                clock.advance(days=1)
            assert all(a != b for a, b in itertools.pairwise(shown)), key
            first_round = shown[: len(wordings)]
            assert sorted(first_round) == list(range(len(wordings))), key  # all before any again


def test_the_linter_catches_what_it_should():
    assert unfilled("Hi {name}, welcome")
    assert repeats_in_a_row(
        [
            "One rejection says nothing about the next application. Logging helps.",
            "Logged. One rejection says nothing about the next one.",
        ]
    )
    assert not repeats_in_a_row(["Logged: 2/5.", "I'm sorry it's a hard day."])
    assert lint_transcript("bot> Hello {name}\n")
    assert not lint_transcript("bot> Hello Sam\n  [1] None of these\n")
