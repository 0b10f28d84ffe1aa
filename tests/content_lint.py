"""The content linter's checks on what a person reads (issue 13), shared by the
static test of the content files and by the transcript tests."""

from __future__ import annotations

import itertools
import re
import string

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
SAME_START_WORDS = 6


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template needs."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def unfilled(text: str) -> list[str]:
    """Placeholders left in text a person would read."""
    return re.findall(r"\{[^{}\s]*\}|\{|\}", text)


def repeats_in_a_row(messages: list[str]) -> list[tuple[str, str]]:
    """Pairs of consecutive messages that say the same thing: equal, or with a sentence
    whose first words open a sentence of the message before too ("One rejection says
    nothing about the next application." then "One rejection says nothing about the
    next one.")."""
    found = []
    for before, after in itertools.pairwise(messages):
        if normalised(before) == normalised(after) and before.strip():
            found.append((before, after))
            continue
        starts = {
            tuple(normalised(s).split()[:SAME_START_WORDS])
            for s in _SENTENCE.findall(before)
            if len(normalised(s).split()) >= SAME_START_WORDS
        }
        for sentence in _SENTENCE.findall(after):
            if tuple(normalised(sentence).split()[:SAME_START_WORDS]) in starts:
                found.append((before, after))
                break
    return found


def bot_messages(transcript: str) -> list[str]:
    """The bot's messages in a terminal transcript (buttons and typed lines left out)."""
    messages: list[str] = []
    for line in transcript.splitlines():
        if line.startswith("bot> "):
            messages.append(line[5:])
        elif line.startswith("     ") and messages:
            messages[-1] += "\n" + line[5:]
    return messages


def lint_transcript(transcript: str) -> list[str]:
    """Every problem the linter finds in a transcript, as readable lines."""
    problems = [f"unfilled placeholder {p!r}" for p in unfilled(transcript)]
    problems += [
        f"said twice in a row: {a!r} / {b!r}" for a, b in repeats_in_a_row(bot_messages(transcript))
    ]
    if "Traceback" in transcript or re.search(r"\bNone\b(?! of these| yet)", transcript):
        problems.append("a traceback or a None reached the person")
    return problems
