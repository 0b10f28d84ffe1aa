"""/applied: log an application (docs/CONTENT.md idea 5, don't stop looking).

``/applied Acme - Analyst`` logs at once; ``/applied`` asks which, and takes a plain
sentence too ("I applied for a job at Goal Inc" logs Goal Inc). The reply counts the
week against the person's weekly goal and mentions a streak of weeks with an
application; after a gap it welcomes them back, without guilt. The debrief's "keep
applying" step reuses ``log``, ``parse_what`` and the goal question.

The weekly goal is offered once: asking stores 0 ("no goal"), so a person who lets the
question go is not asked again; ``/progress goal N`` sets one any time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from core import content, limits, progress, sentences
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import (
    FIELD_LIMIT,
    company_role,
    format_date,
    has_separator,
    small_int,
    split_company_role,
    too_long,
)
from core.dialogs.records import EDIT_WORDS, handover, undo_button
from core.intents import Intent, topic
from core.menus import main_menu
from core.messages import Reply
from storage.repositories import applications

GOAL_CHOICES = (1, 2, 3, 5, 10)
GOAL_MAX = 50


def parse_what(text: str) -> tuple[str | None, str | None]:
    """Company and role from what the person typed: ``Acme - Analyst``, or a sentence
    such as "I applied for a Data Analyst role at Goal Inc"."""
    found = from_sentence(text)
    return found if found is not None else split_company_role(text)


def from_sentence(text: str) -> tuple[str | None, str | None] | None:
    """Company and role from a sentence about an application ("I applied to Hooli for a
    backend role"); None when the text does not read like one (core.sentences)."""
    said = _read(text)
    if said is None:
        return None
    return said.company, said.role


def _read(text: str, local_now: datetime | None = None) -> sentences.Said | None:
    """The sentence read as news of an application; None when it is not one."""
    said = sentences.read(text, local_now or datetime.now(UTC))
    return said if said.kind == "applied" else None


def goal_question(ctx: Context) -> Reply:
    """The weekly-goal question; asking records 0 (no goal), so it comes once."""
    if ctx.user.weekly_goal is None:
        ctx.user.weekly_goal = 0
    buttons = [ctx.choice(str(n), str(n)) for n in GOAL_CHOICES]
    return reply(
        ctx.say("applied.ask_goal"), *buttons, ctx.choice(ctx.say("applied.goal_none"), "0")
    )


def goal_unasked(ctx: Context) -> bool:
    return ctx.user.weekly_goal is None


def parse_goal(text: str) -> int | None:
    return small_int(text, 0, GOAL_MAX)


def set_goal(ctx: Context, goal: int) -> Reply:
    ctx.user.weekly_goal = goal  # 0: asked, and the person chose no goal
    if not goal:
        return reply(ctx.say("applied.goal_cleared"))
    return reply(ctx.say("applied.goal_set", goal=goal))


def week_line(ctx: Context, count: int) -> str:
    goal = ctx.user.weekly_goal
    if not goal:
        return ctx.say("applied.week_no_goal", count=count)
    key = "applied.week_goal_reached" if count >= goal else "applied.week_goal"
    return ctx.say(key, count=count, goal=goal)


async def log(
    ctx: Context, company: str | None, role: str | None, day: date | None = None
) -> list[Reply]:
    """Save the application, dated ``day`` (a local day; default today), and say how
    the week stands. The reply carries an Undo button. When the record already holds
    ``limits.APPLICATIONS``, save nothing and say so."""
    if await applications.count(ctx.session, ctx.user.id) >= limits.APPLICATIONS:
        return [reply(ctx.say("applied.full", limit=limits.APPLICATIONS))]
    day = day if day is not None and day <= ctx.today else ctx.today
    earlier = [a.applied_on for a in await applications.list_for(ctx.session, ctx.user.id)]
    row = await applications.add(ctx.session, ctx.user.id, ctx.now, day, company=company, role=role)
    dates = [*earlier, day]
    what = company_role(company, role)
    if day != ctx.today:
        named = what or ctx.say("records.unnamed")
        lines = [ctx.say("applied.logged_on", what=named, date=format_date(day))]
    else:
        lines = [
            ctx.say("applied.logged", what=what) if what else ctx.say("applied.logged_unnamed")
        ]
    gap = progress.weeks_since(max(earlier) if earlier else None, ctx.today)
    if gap is None:
        lines.append(ctx.say("applied.first_ever"))
    elif gap >= 2:
        lines.append(await ctx.vary("applied.welcome_back"))
    lines.append(week_line(ctx, progress.count_this_week(dates, ctx.today)))
    streak = progress.weekly_streak(dates, ctx.today)
    if streak >= 2:
        lines.append(await ctx.vary("applied.streak", weeks=streak))
    return [reply("\n".join(lines), undo_button(ctx, "application", row.id), personal=True)]


def asks_about_progress(said: str) -> bool:
    """Whole words or phrases only: "Progress Software" is a company, not a question."""
    lowered = said.lower()
    return any(
        re.search(rf"\b{re.escape(word)}\b", lowered)
        for word in content.texts("applied.progress_words")
    )


def _is_name(said: str) -> bool:
    """Whether typed text can be a company or role (not "thanks" or "I feel awful")."""
    return topic(said) in (Intent.UNKNOWN, Intent.APPLIED)


async def start(ctx: Context, answer: Answer) -> Outcome:
    if answer.said:
        said = _read(answer.said, ctx.local_now)
        if said is not None and said.named and not too_long(said.company, said.role):
            return await _log(ctx, said.company, said.role, said.day)
        if asks_about_progress(answer.said):
            return done(then="/progress")
        if said is None:  # "my phone died": not news of an application, so none is asked for
            return done(reply(ctx.say("applied.not_an_application"), *main_menu()))
    if not answer.text:
        return ask("what", reply(ctx.say("applied.ask_what")))
    action, _, rest = answer.text.partition(" ")
    if action.lower() in EDIT_WORDS:
        return handover("applied", action.lower(), rest.strip())
    return await _log_typed(ctx, answer.text)


async def _log_typed(ctx: Context, text: str) -> Outcome:
    said = None if has_separator(text) else _read(text, ctx.local_now)
    if said is not None:
        company, role, day = said.company, said.role, said.day
    else:  # "Applied Materials - Engineer last Friday": the fields, and a date in words
        day, rest = sentences.find_day(text, ctx.local_now)
        if day is not None and not rest.strip(" -–—/,"):
            day, rest = None, text  # the whole text read as a date: it is a name
        company, role = split_company_role(rest if day is not None else text)
    if company is None and role is None:
        return ask("what", reply(ctx.say("applied.need_what")))
    if too_long(company, role):
        return ask("what", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    return await _log(ctx, company, role, day)


async def _log(
    ctx: Context, company: str | None, role: str | None, day: date | None = None
) -> Outcome:
    replies = await log(ctx, company, role, day)
    if goal_unasked(ctx):
        return ask("goal", *replies, goal_question(ctx))
    return done(*replies)


async def what(ctx: Context, answer: Answer) -> Outcome:
    if answer.text and not _is_name(answer.text):
        return not_mine()
    return await _log_typed(ctx, answer.text)


async def goal(ctx: Context, answer: Answer) -> Outcome:
    value = parse_goal(answer.choice or answer.text)
    if value is None:
        return not_mine() if answer.text else ask("goal", goal_question(ctx))
    return done(set_goal(ctx, value))


DIALOG = Dialog(
    name="applied",
    commands=("applied",),
    steps={"start": start, "what": what, "goal": goal},
)
