"""Sentences about the search (core/sentences.py): company, role, stage and day, as
a person meant them. The person's "now" is Sunday 29 November 2026, 15:00 in London."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.sentences import Said, future_day, read

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=ZoneInfo("Europe/London"))  # a Sunday
D = date

# (text, "kind | company | role | stage | day"); "-": the sentence does not say
_TABLE = [
    # the issue's own examples
    (
        "I applied to Hooli for a backend role yesterday",
        "applied | Hooli | backend | - | 2026-11-28",
    ),
    ("turned down by Acme for the analyst role", "rejected | Acme | analyst | - | -"),
    # applications
    (
        "applied to Initech last Friday as a data engineer",
        "applied | Initech | data engineer | - | 2026-11-27",
    ),
    ("I sent my CV to Globex on the 3rd", "applied | Globex | - | - | 2026-11-03"),
    (
        "applied for the SRE job at Umbrella Corp 2 days ago",
        "applied | Umbrella Corp | SRE | - | 2026-11-27",
    ),
    ("I applied at Stark Industries on Monday", "applied | Stark Industries | - | - | 2026-11-23"),
    ("applied to Acme", "applied | Acme | - | - | -"),
    (
        "applied to Wayne Enterprises for a product manager position this morning",
        "applied | Wayne Enterprises | product manager | - | 2026-11-29",
    ),
    ("I applied to May Designs for a marketing role", "applied | May Designs | marketing | - | -"),
    ("applied to Monday.com", "applied | Monday.com | - | - | -"),
    ("I applied for a job at Goal Inc", "applied | Goal Inc | - | - | -"),
    (
        "I just applied for a Data Analyst role at Goal Inc",
        "applied | Goal Inc | Data Analyst | - | -",
    ),
    ("I applied to Progress Software today", "applied | Progress Software | - | - | 2026-11-29"),
    ("I just applied for a job", "applied | - | - | - | -"),
    ("I applied for the role of analyst at Acme", "applied | Acme | analyst | - | -"),
    (
        "sent my resume to Vandelay Industries for an importer position a week ago",
        "applied | Vandelay Industries | importer | - | 2026-11-22",
    ),
    ("applied to Hooli as a technical writer", "applied | Hooli | technical writer | - | -"),
    ("I applied to Hooli on the 30th", "applied | Hooli | - | - | 2026-10-30"),
    ("just applied to Soylent, data analyst", "applied | Soylent | data analyst | - | -"),
    (
        "I've applied to Tyrell Corp for a QA engineer role on 20 November",
        "applied | Tyrell Corp | QA engineer | - | 2026-11-20",
    ),
    (
        "submitted an application to Cyberdyne for the ML engineer position three days ago",
        "applied | Cyberdyne | ML engineer | - | 2026-11-26",
    ),
    # rejections
    (
        "Got rejected by Pied Piper after the final round on Nov 20",
        "rejected | Pied Piper | - | final | 2026-11-20",
    ),
    ("Acme rejected me after the technical interview", "rejected | Acme | - | technical | -"),
    ("Globex turned me down yesterday", "rejected | Globex | - | - | 2026-11-28"),
    ("I didn't get the job at Hooli", "rejected | Hooli | - | - | -"),
    ("I got rejected by Acme after the phone screen", "rejected | Acme | - | screening | -"),
    (
        "I got a no from Acme for the designer role after the onsite",
        "rejected | Acme | designer | final | -",
    ),
    ("I was turned down by Acme", "rejected | Acme | - | - | -"),
    (
        "rejected by Initech for the data analyst role after the take-home test last Tuesday",
        "rejected | Initech | data analyst | technical | 2026-11-24",
    ),
    # offers and interviews
    ("got an offer from Initech for the analyst role", "offer | Initech | analyst | - | -"),
    ("Initech offered me the backend role", "offer | Initech | backend | - | -"),
    (
        "got an interview with Umbrella for the SRE role on Tuesday",
        "interview | Umbrella | SRE | - | 2026-11-24",
    ),
    # not news of the search at all
    ("I feel awful today", "- | - | - | - | -"),
    ("what am I good at", "- | - | - | - | -"),
]
SENTENCES = [
    (text, *(None if part == "-" else part for part in row.split(" | "))) for text, row in _TABLE
]


@pytest.mark.parametrize(("text", "kind", "company", "role", "stage", "day"), SENTENCES)
def test_a_sentence_gives_what_it_names(text, kind, company, role, stage, day):
    said = read(text, NOW)
    if kind is None:
        assert said == Said()
        return
    expected_day = date.fromisoformat(day) if day else None
    assert (said.kind, said.company, said.role, said.stage, said.day) == (
        kind,
        company,
        role,
        stage,
        expected_day,
    )


def test_at_least_thirty_application_and_rejection_sentences():
    assert sum(1 for s in SENTENCES if s[1] is not None) >= 30


def test_yesterday_is_the_persons_own_yesterday():
    # 00:30 on Monday in Auckland is still Sunday in UTC: "yesterday" is their Sunday.
    auckland = datetime(2026, 11, 30, 0, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    assert read("applied to Acme yesterday", auckland).day == D(2026, 11, 29)
    utc = auckland.astimezone(ZoneInfo("UTC"))
    assert read("applied to Acme yesterday", utc).day == D(2026, 11, 28)


FUTURE = [
    ("by christmas", D(2026, 12, 25)),
    ("Christmas", D(2026, 12, 25)),
    ("next friday", D(2026, 12, 4)),
    ("in two weeks", D(2026, 12, 13)),
    ("end of march", D(2027, 3, 31)),
    ("end of the month", D(2026, 11, 30)),
    ("30 april", D(2027, 4, 30)),
    ("tomorrow", D(2026, 11, 30)),
    ("by new year's day", D(2027, 1, 1)),
    ("2026-04-30", None),  # in the past: not a target
    ("yesterday", None),
    ("whenever", None),
]


@pytest.mark.parametrize(("text", "expected"), FUTURE)
def test_a_target_date_in_words(text, expected):
    assert future_day(text, NOW) == expected


# Fragments that are not company names, and stages named after "past the" (finding 4).
@pytest.mark.parametrize(
    ("text", "company", "stage"),
    [
        ("they ghosted me after the onsite", None, "final"),
        ("the hiring manager passed on me", None, None),
        ("the recruiter said no", None, None),
        ("got rejected by Stripe again, feeling rough", "Stripe", None),
        ("Google turned me down again", "Google", None),
        ("didn't make it past the phone screen at Shopify", "Shopify", "screening"),
        ("I didn't make it past the final interview at Monzo", "Monzo", "final"),
    ],
)
def test_no_pronoun_or_person_is_a_company_and_stages_are_found(
    text: str, company: str | None, stage: str | None
):
    said = read(text, NOW)
    assert said.kind == "rejected"
    assert (said.company, said.stage) == (company, stage)
    assert said.role is None  # "feeling rough" is no role
