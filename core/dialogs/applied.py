"""/applied: log an application (CONTENT.md idea 5, don't stop looking).

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

from core import content, limits, progress
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import (
    FIELD_LIMIT,
    clean,
    company_role,
    small_int,
    split_company_role,
    too_long,
)
from core.intents import Intent, classify, company_in
from core.messages import Reply
from storage.repositories import applications

GOAL_CHOICES = (1, 2, 3, 5, 10)
GOAL_MAX = 50

# "I (have|'ve) (just) applied (for|to) ...", "sent an application to ...": the words
# before the company or role in a typed sentence.
_LEAD_IN = re.compile(
    r"^(?:i\s*(?:'ve|’ve|\s+have)?\s+)?(?:just\s+)?(?:also\s+)?"
    r"(?:applied|sent\s+(?:an|my|in\s+an?)\s+(?:application|cv|resume)"
    r"|submitted\s+(?:an|my)\s+(?:application|cv|resume)|put\s+in\s+an\s+application)"
    r"(?:\s+(?:for|to|at|with))?\s+",
    re.IGNORECASE,
)
_ROLE_AT = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:(?P<role>.+?)\s+)?(?:job|role|position|post|opening)"
    r"(?:\s+(?:at|with|in)\s+(?P<company>.+))?$",
    re.IGNORECASE,
)
_AT = re.compile(r"^(?:at|to|with)\s+(?P<company>.+)$", re.IGNORECASE)
_TRAILING = re.compile(
    r"[\s,.!]*(?:\b(?:today|yesterday|just now|this (?:morning|afternoon|evening|week)))?"
    r"[\s.!]*$",
    re.IGNORECASE,
)
_ARTICLES = frozenset({"a", "an", "the"})


def parse_what(text: str) -> tuple[str | None, str | None]:
    """Company and role from what the person typed: ``Acme - Analyst``, or a sentence
    such as "I applied for a Data Analyst role at Goal Inc"."""
    found = from_sentence(text)
    return found if found is not None else split_company_role(text)


def from_sentence(text: str) -> tuple[str | None, str | None] | None:
    """Company and role from "I applied (for a ROLE job) at COMPANY"; None when the
    text does not start like that."""
    lead = _LEAD_IN.match(text.strip())
    if lead is None:
        return None
    rest = _TRAILING.sub("", text.strip()[lead.end() :])
    if not rest:
        return None, None
    at = _AT.match(rest)
    if at:
        return split_company_role(at["company"])
    role_at = _ROLE_AT.match(rest)
    if role_at:
        role = clean(role_at["role"] or "")
        if role is not None and role.lower() in _ARTICLES:
            role = None
        company = clean(role_at["company"] or "")
        return company, role
    found = company_in(text)
    if found:
        return found, None
    return split_company_role(rest)


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


async def log(ctx: Context, company: str | None, role: str | None) -> list[Reply]:
    """Save the application dated today and say how the week stands; when the record
    already holds ``limits.APPLICATIONS``, save nothing and say so."""
    if await applications.count(ctx.session, ctx.user.id) >= limits.APPLICATIONS:
        return [reply(ctx.say("applied.full", limit=limits.APPLICATIONS))]
    earlier = [a.applied_on for a in await applications.list_for(ctx.session, ctx.user.id)]
    await applications.add(ctx.session, ctx.user.id, ctx.now, ctx.today, company=company, role=role)
    dates = [*earlier, ctx.today]
    what = company_role(company, role)
    lines = [ctx.say("applied.logged", what=what) if what else ctx.say("applied.logged_unnamed")]
    gap = progress.weeks_since(max(earlier) if earlier else None, ctx.today)
    if gap is None:
        lines.append(ctx.say("applied.first_ever"))
    elif gap >= 2:
        lines.append(ctx.say("applied.welcome_back"))
    lines.append(week_line(ctx, progress.count_this_week(dates, ctx.today)))
    streak = progress.weekly_streak(dates, ctx.today)
    if streak >= 2:
        lines.append(ctx.say("applied.streak", weeks=streak))
    return [reply("\n".join(lines), personal=True)]


def asks_about_progress(said: str) -> bool:
    """Whole words or phrases only: "Progress Software" is a company, not a question."""
    lowered = said.lower()
    return any(
        re.search(rf"\b{re.escape(word)}\b", lowered)
        for word in content.texts("applied.progress_words")
    )


def _is_name(said: str) -> bool:
    """Whether typed text can be a company or role (not "thanks" or "I feel awful")."""
    return classify(said) in (Intent.UNKNOWN, Intent.APPLIED)


async def start(ctx: Context, answer: Answer) -> Outcome:
    if answer.said:
        named = from_sentence(answer.said)
        if named is not None and named != (None, None) and not too_long(*named):
            return await _log(ctx, *named)
        if asks_about_progress(answer.said):
            return done(then="/progress")
    if not answer.text:
        return ask("what", reply(ctx.say("applied.ask_what")))
    return await _log_typed(ctx, answer.text)


async def _log_typed(ctx: Context, text: str) -> Outcome:
    company, role = parse_what(text)
    if company is None and role is None:
        return ask("what", reply(ctx.say("applied.need_what")))
    if too_long(company, role):
        return ask("what", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    return await _log(ctx, company, role)


async def _log(ctx: Context, company: str | None, role: str | None) -> Outcome:
    replies = await log(ctx, company, role)
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
