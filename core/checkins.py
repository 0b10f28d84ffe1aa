"""The "keep applying" check-in: its opening line, its questions and their buttons.

The words live in ``core/content/checkins.toml``. A check-in is sent outside any
dialog, so its buttons are command payloads (``/checkin applied 1-2``) that the
hidden ``/checkin`` command (core/dialogs/checkin.py) answers, whenever pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from core import content
from core.dialog import Context
from core.messages import Button

COMMAND = "/checkin"
QUESTIONS = ("applied", "heard_back", "nudge")
ANSWER_WORDS = {"applied": "applied", "heard_back": "heard", "nudge": "nudge"}
"""Question -> the word used in the button payload (``/checkin heard interview``)."""


@dataclass(frozen=True, slots=True)
class Opening:
    id: str
    text: str


@cache
def _data() -> dict[str, Any]:
    return dict(content.data("checkins"))


@cache
def openings() -> tuple[Opening, ...]:
    return tuple(Opening(e["id"], e["text"].strip()) for e in _data()["checkin"])


def opening_for(user_id: int, local_date: date, previous: str | None = None) -> Opening:
    """The opening after ``previous`` (the id of the person's last one), so consecutive
    check-ins never share an opening and each is seen before any comes back. Without a
    known previous one, the date picks (a different one on each of seven days running).
    """
    every = openings()
    ids = [o.id for o in every]
    if previous in ids:
        return every[(ids.index(previous) + 1) % len(every)]
    return every[(local_date.toordinal() + user_id) % len(every)]


def question(name: str) -> str:
    return str(_data()["buttons"][f"{name}_question"])


def values(name: str) -> tuple[str, ...]:
    return tuple(str(b["value"]) for b in _data()["buttons"][name])


def buttons(name: str) -> tuple[Button, ...]:
    """The quick answers to question ``name`` as command buttons."""
    word = ANSWER_WORDS[name]
    return tuple(
        Context.command(str(b["label"]), f"{COMMAND} {word} {b['value']}")
        for b in _data()["buttons"][name]
    )


def reply_text(key: str, **fill: object) -> str:
    template = str(_data()["replies"][key])
    return template.format(**fill) if fill else template


def message(opening: Opening, waiting_feedback: str | None) -> str:
    """The scheduled check-in: the opening, a waiting feedback request, the first question.

    ``waiting_feedback`` is the company of a feedback request unanswered for over a week
    (an empty string when the company was not noted), or None.
    """
    parts = [opening.text]
    if waiting_feedback is not None:
        company = waiting_feedback or content.text("schedule.checkin.company_unknown")
        parts.append(
            f"{reply_text('feedback_pending', company=company)} "
            f"{content.text('schedule.checkin.feedback_hint')}"
        )
    parts.append(question("applied"))
    return "\n\n".join(parts)
