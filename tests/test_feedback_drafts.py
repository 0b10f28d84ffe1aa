"""Feedback drafts a person would send: every name as typed, every stage (issue 13)."""

from __future__ import annotations

import pytest

from core.dialogs.feedback import STAGES, fill_template
from core.greeting import greeting_name
from tests.harness import Chat

NAMES = [
    ("Maria Lopez", "Maria"),
    ("Maria", "Maria"),
    ("sam", "Sam"),
    ("SARAH", "Sarah"),
    ("the recruiter, Sarah", "Sarah"),
    ("Ms. Lumbergh (Bill)", "Bill"),
    ('William "Bill" Lumbergh', "Bill"),
    ("Dr. Maria Lopez", "Dr. Lopez"),
    ("dr. jane smith", "Dr. Smith"),
    ("Ms Lumbergh", "Ms Lumbergh"),
    ("Mx. Rivera", "Mx. Rivera"),
    ("Dr van der Berg", "Dr van der Berg"),
    ("Prof. Maria van der Berg", "Prof. van der Berg"),
    ("Sarah (she/her)", "Sarah"),
    ("Sarah from HR", "Sarah"),
    ("Sarah, hiring manager", "Sarah"),
    ("Hiring manager: Tom Jones", "Tom"),
    ("Tom - recruiter", "Tom"),
    ("I think it was Sarah", "Sarah"),
    ("her name was Priya", "Priya"),
    ("@sarah", "Sarah"),
    ("Sarah?", "Sarah"),
    ("J. Smith", "J. Smith"),
    ("Anne-Marie", "Anne-Marie"),
    ("mary-jane watson", "Mary-Jane"),
    ("o'neil", "O'Neil"),
    ("McDonald", "McDonald"),
    ("DeShawn Brown", "DeShawn"),
    ("José García", "José"),
    ("李娜", "李娜"),
    ("Sarah and Tom", "Sarah and Tom"),
    # unsure: a neutral greeting
    ("the recruiter", None),
    ("HR", None),
    ("no idea", None),
    ("not sure", None),
    ("sarah.jones@acme.com", None),
    ("12345", None),
    ("sir", None),
    ("x", None),
]


@pytest.mark.parametrize(("typed", "expected"), NAMES)
def test_the_greeting_reads_right_for_every_name_as_typed(typed: str, expected: str | None):
    assert greeting_name(typed) == expected
    for kind, neutral in (("request", "Hello,"), ("follow_up", "Hello again,")):
        first_line = fill_template(
            kind, company="Acme", role="Analyst", interviewer=typed
        ).splitlines()[0]
        assert first_line == (f"Hi {expected}," if expected else neutral)


def test_the_table_is_long_enough():
    assert len(NAMES) >= 30


@pytest.mark.parametrize("stage", [*STAGES, None])
@pytest.mark.parametrize("kind", ["request", "follow_up"])
def test_every_stage_gets_words_that_fit_it(stage: str | None, kind: str):
    text = fill_template(kind, company="Acme", role="Analyst", interviewer="Sam", stage=stage)
    assert "{" not in text and "}" not in text and "None" not in text
    assert "Analyst" in text
    met = stage in ("screening", "technical", "final", "offer")
    if not met:  # nobody spent time with them, nobody was "chosen" over them in person
        assert "time you spent with me" not in text
        assert "speak with me" not in text
    if stage in ("application", "screening", "technical", None):
        assert "person you chose" not in text and "candidate you chose" not in text
    if stage == "application":
        assert "interview" not in text.replace("reach an interview", "")


async def test_a_cv_stage_rejection_drafts_a_cv_stage_request(chat: Chat):
    await chat.send("/rejected Acme - Analyst")
    await chat.press("Application")
    await chat.press("3")
    await chat.press("Ask for feedback")
    await chat.press("now")
    await chat.send("the recruiter, Sarah")
    assert "Hi Sarah," in chat.text
    assert "Hi the," not in chat.text
    assert "for considering my application" in chat.text
    assert "time you spent with me" not in chat.text
    assert "person you chose" not in chat.text
