"""Free-text intents: what typed sentences are routed to."""

from __future__ import annotations

import pytest

from core import variety
from core.intents import Intent, classify


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("they said no", Intent.REJECTION),
        ("They said no after the final round", Intent.REJECTION),
        ("I didn't get it", Intent.REJECTION),
        ("i didnt get it", Intent.REJECTION),
        ("did not get the job", Intent.REJECTION),
        ("I didn't get the role", Intent.REJECTION),
        ("I got rejected from Acme today", Intent.REJECTION),
        ("I hate myself", Intent.MOOD),
        ("i hate myself for fumbling that answer", Intent.MOOD),
        ("I'm worthless", Intent.MOOD),
        ("I feel worthless", Intent.MOOD),
        ("I hate myself and want to die", Intent.CRISIS),
        # Ask tier (a burden, a passive wish): classify prints the intent it would have.
        ("I'm worthless, everyone would be better off without me", Intent.MOOD),
        ("I feel like dying", Intent.MOOD),
        ("what am I good at?", Intent.STRENGTHS),
        ("hello", Intent.GREETING),
    ],
)
def test_classify(typed: str, expected: Intent):
    assert classify(typed) is expected


async def test_self_hatred_gets_a_gentle_answer_not_the_fallback(chat):
    await chat.send("I hate myself")
    assert "simple bot" not in chat.text
    assert chat.last[0].text in variety.wordings("feelings.ack.self_criticism")
