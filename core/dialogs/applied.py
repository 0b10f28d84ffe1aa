"""/applied: log an application (CONTENT.md idea 5, don't stop looking).

``/applied Acme - Analyst`` logs at once; ``/applied`` asks which. The reply counts
the week against the person's weekly goal and mentions a streak of weeks with an
application; after a gap it welcomes them back, without guilt. The debrief's
"keep applying" step reuses ``log`` and the goal question.
"""

from __future__ import annotations

from core import content, progress
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import company_role, split_company_role, too_long
from core.messages import Reply
from storage.repositories import applications

GOAL_CHOICES = (1, 2, 3, 5, 10)
GOAL_MAX = 50


def goal_question(ctx: Context) -> Reply:
    buttons = [ctx.choice(str(n), str(n)) for n in GOAL_CHOICES]
    return reply(
        ctx.say("applied.ask_goal"), *buttons, ctx.choice(ctx.say("applied.goal_none"), "0")
    )


def parse_goal(text: str) -> int | None:
    text = text.strip()
    if text.isdigit() and 0 <= int(text) <= GOAL_MAX:
        return int(text)
    return None


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
    """Save the application dated today and say how the week stands."""
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
    lowered = said.lower()
    return any(word in lowered for word in content.texts("applied.progress_words"))


async def start(ctx: Context, answer: Answer) -> Outcome:
    if answer.said and asks_about_progress(answer.said):
        return done(then="/progress")
    if not answer.text:
        return ask("what", reply(ctx.say("applied.ask_what")))
    return await _log_typed(ctx, answer.text)


async def _log_typed(ctx: Context, text: str) -> Outcome:
    company, role = split_company_role(text)
    if company is None and role is None:
        return ask("what", reply(ctx.say("applied.need_what")))
    if too_long(company, role):
        return ask("what", reply(ctx.say("debrief.too_long", limit=200)))
    replies = await log(ctx, company, role)
    if ctx.user.weekly_goal is None:
        return ask("goal", *replies, goal_question(ctx))
    return done(*replies)


async def what(ctx: Context, answer: Answer) -> Outcome:
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
