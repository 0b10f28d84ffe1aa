"""How much one person may keep, and how much one message may show.

One person's list must not grow without end: a 10,000-item list made one ``/strengths``
over a thousand Telegram messages, a keyboard of 10,001 buttons, and every write of
that person slow enough to hold up everyone else's (SQLite has one writer). The
numbers are generous for a person's real record and small enough that every list
operation stays a short transaction.
"""

from __future__ import annotations

STRENGTHS = 200
"""Saved strengths per person."""
SKILLS = 200
"""Items of the skills plan per person (done ones included)."""
TARGETS = 200
"""Target companies per person."""
APPLICATIONS = 500
"""Logged applications per person (about two a working day for a year)."""

PAGE_LINES = 20
"""Lines of a list per message; the rest comes with a "More" button."""
PAGE_BUTTONS = 10
"""Items offered as buttons per message, plus "More"."""
MAX_BUTTONS = 25
"""The most buttons one reply may carry: Discord allows 25 components per message (5
rows of 5); Telegram allows 100 inline buttons. Renderers cut at these limits as a last
guard; dialogs page well before them."""
