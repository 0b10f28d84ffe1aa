"""A full debrief through the real terminal chat, as a person would read it.

``pytest tests/test_debrief_transcript.py -s`` prints the transcript; the README shows
one. It is also written to ``debrief-transcript.txt`` in the test's temporary folder.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from bot.terminal.adapter import TerminalChat
from core.engine import Engine
from tests.content_lint import lint_transcript

SCRIPT = [
    "/strengths add I explain hard things simply",
    "/rejected",
    "Acme",
    "Data Analyst",
    "3",  # Technical
    "2",  # feeling 2
    "1",  # Ask for feedback
    "1",  # now
    "Sam",
    "1",  # yes, remind me
    "2",  # It may not be about you
    "1",  # now
    "I rushed the SQL question",
    "1",  # Another candidate
    "I stayed calm when I got stuck",
    "3",  # Work on a skill
    "1",  # now
    "SQL window functions",
    "2",  # in a month
    "4",  # Find better-fit roles
    "2",  # save for later
    "5",  # Keep applying
    "1",  # now
    "Globex - Junior Analyst",
    "3",  # weekly goal 3
    "6",  # Look at my strengths
    "1",  # now
    "I keep going when things are hard",
    "4",  # Find better-fit roles (saved for later)
    "3",  # skip it now
]


async def test_full_debrief_transcript_reads_well(engine: Engine, tmp_path: Path):
    out = io.StringIO()
    terminal = TerminalChat(engine, "alice", stdout=out, files_dir=tmp_path)
    for line in SCRIPT:
        out.write(f"you> {line}\n")
        await terminal.handle_line(line)
    transcript = out.getvalue()
    (tmp_path / "debrief-transcript.txt").write_text(transcript, encoding="utf-8")
    print("\n" + transcript)

    assert "Traceback" not in transcript and "{" not in transcript
    assert lint_transcript(transcript) == []
    assert not re.search(r"\bNone\b(?! of these)", transcript)
    assert "I'm sorry. A rejection stings" in transcript
    assert "Your strengths, in your own words:" in transcript  # offered after feeling 2
    assert "Hi Sam," in transcript
    assert "Added to your plan" in transcript
    assert "Logged: Junior Analyst at Globex." in transcript
    assert transcript.rstrip().endswith("Take care of yourself today.")
    assert "5 taken, 1 skipped" in transcript
