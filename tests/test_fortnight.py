"""A simulated fortnight through the terminal chat (issue 13): a rejection, low days,
venting, good news and an interview, with the scheduled notes around the interview.

The transcript is generated here and must match the one in README.md (between the
``fortnight:start`` and ``fortnight:end`` markers); after a change of wording, run
``REBOUND_UPDATE_README=1 pytest tests/test_fortnight.py`` to write it there.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.terminal.adapter import TerminalChat
from core import affirmations, variety
from core.delivery import Dispatcher
from core.engine import Engine
from core.messages import Reply
from core.outbox import DeliverySettings
from tests.conftest import FakeClock
from tests.content_lint import bot_messages, lint_transcript
from tests.harness import Chat

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- fortnight:start -->", "<!-- fortnight:end -->"

# (days after Monday 2 March 2026 09:00 UTC, hour, what the person types)
DAYS: list[tuple[int, int, list[str]]] = [
    (0, 9, ["/timezone Europe/London", "/checkins daily 18:00"]),
    (
        0,
        10,
        [
            "I got turned down by Acme",
            "Data Analyst",
            "3",  # Technical
            "2",  # feeling
            "1",  # Ask for feedback
            "1",  # now
            "the recruiter, Sarah",
            "1",  # yes, remind me
            "7",  # that's enough for today
        ],
    ),
    (1, 20, ["I'm useless", "1", "1", "I explain hard things simply", "3"]),
    (2, 21, ["/mood 1"]),
    (3, 19, ["this job search is killing me", "2"]),
    (4, 11, ["/applied Globex - Junior Analyst", "3"]),
    (5, 16, ["I got rejected by Initech", "skip", "skip", "skip", "7"]),
    (7, 22, ["I'm so tired of this", "skip"]),
    (8, 12, ["I have an interview with Globex on Thursday", "1"]),
    (11, 19, ["I feel relieved, it went well", "4"]),
    (13, 10, ["/progress"]),
]
SCHEDULER_PASSES = [  # UTC instants a scheduler pass runs at (London is UTC in March)
    datetime(2026, 3, 12, 8, 0, tzinfo=UTC),
    datetime(2026, 3, 13, 18, 0, tzinfo=UTC),
]


class TranscriptOutlet:
    """Scheduled messages printed into the same transcript, as the terminal shows them."""

    platform = "terminal"

    def __init__(self, terminal: TerminalChat, out: io.StringIO) -> None:
        self._terminal = terminal
        self._out = out

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        self._terminal._print(list(replies))


def _heading(moment: datetime) -> str:
    return f"\n# {moment:%A} {moment.day} {moment:%B}, {moment:%H:%M}\n"


async def _fortnight(engine: Engine, db, clock: FakeClock, tmp_path: Path) -> str:
    out = io.StringIO()
    terminal = TerminalChat(engine, "sam", stdout=out, files_dir=tmp_path)
    dispatcher = Dispatcher(
        db, [TranscriptOutlet(terminal, out)], clock=clock, settings=DeliverySettings()
    )
    start = datetime(2026, 3, 2, tzinfo=UTC)
    passes = list(SCHEDULER_PASSES)
    for day, hour, lines in DAYS:
        moment = start + timedelta(days=day, hours=hour)
        while passes and passes[0] <= moment:
            instant = passes.pop(0)
            clock.now = instant
            out.write(_heading(instant) + "(a scheduled message)\n")
            await dispatcher.run_pass(instant)
        clock.now = moment
        out.write(_heading(moment))
        for line in lines:
            out.write(f"you> {line}\n")
            await terminal.handle_line(line)
    return out.getvalue().lstrip("\n")


async def test_a_fortnight_reads_like_a_coach(engine: Engine, db, clock, tmp_path: Path):
    transcript = await _fortnight(engine, db, clock, tmp_path)
    print("\n" + transcript)
    assert lint_transcript(transcript) == []
    said = bot_messages(transcript)
    assert "simple bot" not in transcript
    assert "That sounds like a lot" not in transcript
    assert "Nice. Which one?" not in transcript
    assert "Hi Sarah," in transcript
    assert any(m in variety.wordings("debrief.open_second") for m in said)
    assert any(m in variety.wordings("good_news.celebrate.interview") for m in said)
    assert "Junior Analyst at Globex is now at the interview stage" in transcript
    assert "I explain hard things simply" in transcript.split("preparation sheet", 1)[1]
    assert any(m in variety.wordings("good_news.luck") for m in said)
    assert any(m in variety.wordings("good_news.how_did_it_go") for m in said)
    assert any(m in variety.wordings("feelings.ack.relief") for m in said)

    block = f"{START}\n```\n{transcript.rstrip()}\n```\n{END}"
    readme = README.read_text(encoding="utf-8")
    if os.environ.get("REBOUND_UPDATE_README"):
        readme = re.sub(
            re.escape(START) + ".*?" + re.escape(END), lambda _: block, readme, flags=re.S
        )
        README.write_text(readme, encoding="utf-8")
    assert block in readme, "README's fortnight is out of date: REBOUND_UPDATE_README=1"


async def test_six_rejections_in_eleven_days_never_open_the_same_way_twice_running(
    chat: Chat, clock: FakeClock
):
    openings = []
    for day in (0, 1, 2, 4, 7, 10):
        clock.now = datetime(2026, 3, 2, 10, tzinfo=UTC) + timedelta(days=day)
        await chat.send(f"/rejected Company{day} - Analyst")
        openings.append(chat.last[0].text)
        await chat.send("/cancel")
    assert all(a != b for a, b in itertools.pairwise(openings))
    assert openings[1] in variety.wordings("debrief.open_second")
    assert "third" in openings[2]  # days 0, 1 and 2: the third this week


async def test_a_person_logging_1_every_day_never_gets_an_energetic_affirmation(
    chat: Chat, clock: FakeClock
):
    energetic = {a.text for a in affirmations.catalogue() if a.energy}
    assert energetic
    shown = []
    for _ in range(50):
        await chat.send("/mood 1")
        await chat.send("/affirmation")
        shown.append(chat.last[0].text)
        clock.advance(days=1)
    assert not energetic & set(shown)
    assert all(a != b for a, b in itertools.pairwise(shown))
