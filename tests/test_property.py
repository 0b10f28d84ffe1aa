"""Property-based: arbitrary text and button payloads never break the engine, and a
stored strength comes back exactly as typed.

One database per test function (the ``engine`` fixture); every example talks as a
new person, so examples do not see each other's state.
"""

from __future__ import annotations

import itertools
import logging

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core import content
from core.engine import Engine
from core.messages import Incoming, Reply
from core.safety import is_crisis
from storage.database import Database
from storage.models import Strength, User

ERROR = content.text("engine.error")
EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_people = itertools.count()

COMMANDS = [
    "/start", "/help", "/mood", "/mood 2", "/strengths", "/strengths add", "/strengths remove",
    "/rejected", "/applied", "/progress", "/feedback", "/skills", "/targets", "/settings",
    "/timezone", "/affirmations", "/checkins", "/pause", "/resume", "/affirmation", "/sos",
    "/privacy", "/export", "/delete", "/cancel", "/chart",
]  # fmt: skip

typed = st.one_of(
    st.text(max_size=200),
    st.builds(lambda c, t: f"{c} {t}", st.sampled_from(COMMANDS), st.text(max_size=60)),
    st.sampled_from(COMMANDS),
)
payloads = st.one_of(
    st.text(max_size=80),
    st.builds(lambda n, v: f"a:{n}:{v}", st.text(min_size=6, max_size=6), st.text(max_size=20)),
    st.builds(lambda c: f"c:{c}", st.text(max_size=40)),
    st.builds(lambda c, t: f"c:{c} {t}", st.sampled_from(COMMANDS), st.text(max_size=20)),
)
# What a person does next: type something, send a payload, or press a real button
# of the latest reply (by index, wrapped around).
actions = st.lists(
    st.one_of(
        st.tuples(st.just("text"), typed),
        st.tuples(st.just("payload"), payloads),
        st.tuples(st.just("button"), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=6,
)


def _person() -> str:
    return f"p{next(_people)}"


def _check(replies: list[Reply]) -> list[Reply]:
    assert isinstance(replies, list) and replies
    for reply in replies:
        assert isinstance(reply, Reply) and isinstance(reply.text, str)
        assert reply.text != ERROR
    return replies


@EXAMPLES
@given(steps=actions, private=st.booleans())
async def test_arbitrary_input_never_breaks_the_engine(
    engine: Engine, caplog: pytest.LogCaptureFixture, steps: list, private: bool
):
    caplog.set_level(logging.WARNING)
    person = _person()
    buttons: list = []
    for kind, value in steps:
        if kind == "text":
            incoming = Incoming("terminal", person, text=value, private=private)
        elif kind == "payload":
            incoming = Incoming("telegram", person, payload=value, private=private)
        elif buttons:
            pressed = buttons[value % len(buttons)].payload
            incoming = Incoming("terminal", person, payload=pressed, private=private)
        else:
            continue
        replies = _check(await engine.handle(incoming))
        buttons = [b for r in replies for b in r.buttons] or buttons
    failures = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not failures, failures[0].getMessage()


# Anything a person can type: not lone surrogates, and not NUL, which the engine drops
# (PostgreSQL cannot store it; tests/test_engine.py checks that).
printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=200,
).filter(lambda s: s == s.strip() and not s.startswith("/"))


@EXAMPLES
@given(text=printable)
async def test_a_stored_strength_round_trips_exactly(engine: Engine, db: Database, text: str):
    command = f"/strengths add {text}"
    assume(not is_crisis(command))
    person = _person()
    _check(await engine.handle(Incoming("terminal", person, text=command)))
    async with db.read() as session:
        stored = (
            await session.scalars(
                select(Strength.text).join(User).where(User.external_id == person)
            )
        ).all()
    assert stored == [text]
    listing = _check(await engine.handle(Incoming("terminal", person, text="/strengths")))
    assert any(f"1. {text}" in r.text for r in listing)
