"""What a friend writes must read as a strength or as encouragement: insults,
discouragement, "give up", a sarcastic "good at <something bad>" and "wasting time" are
never passed on (core/content/friend_hostile.toml); praise for not giving up is."""

from __future__ import annotations

import pytest

from core.invites import is_hostile

HOSTILE = [
    "nobody will ever hire you, give up",
    "honestly she should just quit looking",
    "Good at excuses lol",
    "honestly? she is good at wasting everyones time",
    "Give up already",
    "you should give up",
    "just quit already",
    "Good at failing interviews",
    "great at wasting money",
    "she's good at excuses",
    "Nobody would ever hire her",
    "you'll never get a job",
    "He will never find work",
    "Stop applying, it's pointless",
    "might as well quit now",
    "Time to give up on this career",
    "A waste of space",
    "wasting everyone's time as usual",
    "good at being lazy lol",
    "no one will hire you",
    "best at complaining",
    "She should stop trying",
    "expert at getting rejected",
    "Give up, seriously",
    "She doesn’t stand a chance",
]

KIND = [
    "she never gives up",
    "good at keeping calm",
    "won't quit on people",
    "Calm under pressure",
    "Steady in a crisis",
    "Great at explaining hard things simply",
    "She doesn't give up when things get hard",
    "Never wastes anyone's time in meetings",
    "Good at giving feedback that helps",
    "Makes everyone feel welcome",
    "Keeps going no matter what",
    "good at not giving up",
    "Refuses to quit when a problem is hard",
    "Great at getting people to work together",
    "The best listener I know",
    "Always finishes what she starts",
    "She is brilliant at spreadsheets",
    "Patient with beginners",
    "He would never let a friend down",
    "Funny and kind, good at cheering people up",
    "Quick learner, picks up new tools in days",
    "You are going to find something great, keep going",
    "Doesn’t stop until the job is done",
    "Never gave up on me when I was struggling",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_put_downs_and_discouragement_are_not_passed_on(text: str):
    assert is_hostile(text)


@pytest.mark.parametrize("text", KIND)
def test_strengths_and_encouragement_pass(text: str):
    assert not is_hostile(text)
