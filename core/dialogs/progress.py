"""/progress: one compact message with the week's numbers, the pipeline by status,
response rates, the skills plan and days since the last rejection (idea 5).

``/progress goal N`` sets the weekly goal. From the message the person can update an
application's status; a "no" hands over to the rejection debrief.
"""

from __future__ import annotations

from core import pipeline, progress, summary
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs import applied
from core.dialogs.fields import company_role, format_date, plural, record_id
from core.messages import Reply
from storage.models import Application
from storage.repositories import applications, rejections, skills
from storage.repositories import checkins as checkin_answers
from storage.repositories.applications import STATUSES

NEW_STATUSES = ("interview", "offer", "rejected", "withdrawn", "ghosted")


async def progress_lines(ctx: Context) -> list[str] | None:
    """The numbers, one per line; None when nothing at all has been logged."""
    apps = await applications.list_for(ctx.session, ctx.user.id)
    rejected = await rejections.list_for(ctx.session, ctx.user.id)
    plan = await skills.list_for(ctx.session, ctx.user.id)
    said = await checkin_answers.latest(ctx.session, ctx.user.id, "applied")
    if not apps and not rejected and not plan and said is None:
        return None
    dates = [a.applied_on for a in apps]
    count = progress.count_this_week(dates, ctx.today)
    goal = ctx.user.weekly_goal
    lines = [ctx.say("progress.heading")]
    if goal:
        lines.append(plural("progress.week_goal", goal, count=count, goal=goal))
    else:
        lines.append(plural("progress.week_no_goal", count, count=count))
    streak = progress.weekly_streak(dates, ctx.today)
    lines.append(
        plural("progress.streak", streak, weeks=streak)
        if streak
        else ctx.say("progress.streak_none")
    )
    taken = await summary.steps_taken(ctx.session, ctx.user.id, ctx.now - summary.WEEK)
    if taken:  # exactly the steps of the last 7 days, as the weekly summary lists them
        lines.append(summary.steps_line(taken, "summary.progress_steps"))
    if apps:
        funnel = progress.pipeline(_shown_status(ctx, a) for a in apps)
        parts = [
            ctx.say(
                "progress.pipeline_part",
                count=funnel.counts[s],
                status=plural(f"progress.status_{s}", funnel.counts[s]),
            )
            for s in (*STATUSES, "silent")
            if funnel.counts.get(s)
        ]
        lines.append(
            ctx.say("progress.pipeline", parts=ctx.say("progress.parts_separator").join(parts))
        )
        if progress.rates_worth_showing(funnel, dates, ctx.today):
            lines.append(
                ctx.say(
                    "progress.rates",
                    heard=funnel.rate(funnel.heard_back),
                    interviews=funnel.rate(funnel.interviews),
                    offers=funnel.rate(funnel.offers),
                )
            )
            if funnel.counts.get("ghosted"):
                lines.append(ctx.say("progress.ghosted_rate", rate=funnel.rate(funnel.ghosted)))
    stages = await rejections.stage_counts(ctx.session, ctx.user.id)
    if stages:
        parts = [
            ctx.say(
                "progress.rejection_stage_part",
                stage=ctx.say(f"skills.stage_name_{s}"),
                count=n,
            )
            for s, n in sorted(stages.items(), key=lambda kv: -kv[1])
        ]
        lines.append(
            ctx.say(
                "progress.rejection_stages", parts=ctx.say("progress.stages_separator").join(parts)
            )
        )
    if plan:
        finished = sum(1 for item in plan if item.done_at is not None)
        line = ctx.say("progress.skills", done=finished, total=len(plan))
        upcoming = [item for item in plan if item.done_at is None]
        if upcoming:
            line += ctx.say("progress.skills_next", text=upcoming[0].text)
        lines.append(line)
    if said is not None:
        when = format_date(said.created_at.astimezone(ctx.zone).date())
        lines.append(ctx.say("progress.checkin_applied", answer=said.answer, date=when))
    if rejected:
        last = max(pipeline.rejection_day(r, ctx.zone) for r in rejected)
        days = (ctx.today - last).days
        lines.append(plural("progress.since_rejection", days, days=days))
    return lines


def _shown_status(ctx: Context, application: Application) -> str:
    """The status as /progress counts it: an application silent for
    ``pipeline.GHOST_AFTER`` is "silent" (no answer yet), not "waiting"."""
    if application.status == "applied" and pipeline.is_silent(application, ctx.today, ctx.zone):
        return "silent"
    return application.status


async def start(ctx: Context, answer: Answer) -> Outcome:
    action, _, rest = answer.text.partition(" ")
    if action.lower() == "goal":
        if not rest.strip():
            return ask("goal", applied.goal_question(ctx))
        value = applied.parse_goal(rest)
        if value is None:
            return done(reply(ctx.say("applied.goal_usage")))
        return done(applied.set_goal(ctx, value))
    lines = await progress_lines(ctx)
    if lines is None:
        return done(reply(ctx.say("progress.nothing")))
    buttons = []
    if await applications.open_ones(ctx.session, ctx.user.id, limit=1):
        buttons.append(ctx.choice(ctx.say("progress.update"), "update"))
    buttons.append(ctx.choice(ctx.say("progress.set_goal"), "goal"))
    buttons.append(ctx.command(ctx.say("progress.chart"), "/chart"))
    return ask("action", reply("\n".join(lines), *buttons, personal=True))


async def action(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "goal":
        return ask("goal", applied.goal_question(ctx))
    if answer.choice == "update":
        return await _pick(ctx)
    return not_mine()


async def goal(ctx: Context, answer: Answer) -> Outcome:
    value = applied.parse_goal(answer.choice or answer.text)
    if value is None:
        return not_mine() if answer.text else ask("goal", applied.goal_question(ctx))
    return done(applied.set_goal(ctx, value))


def _name(ctx: Context, application: Application) -> str:
    return company_role(application.company, application.role) or ctx.say(
        "progress.unnamed", date=format_date(application.applied_on, weekday=False)
    )


async def _pick(ctx: Context) -> Outcome:
    waiting = await applications.open_ones(ctx.session, ctx.user.id)
    if not waiting:
        return done(reply(ctx.say("progress.no_open")))
    buttons = [ctx.choice(_name(ctx, a)[:60], f"a{a.id}") for a in waiting]
    return ask("pick", reply(ctx.say("progress.pick_application"), *buttons, personal=True))


def _status_question(ctx: Context, application: Application) -> Reply:
    buttons = [
        ctx.choice(ctx.say(f"progress.status_to_{s}"), s)
        for s in NEW_STATUSES
        if s != application.status
    ]
    return reply(
        ctx.say("progress.ask_status", what=_name(ctx, application)), *buttons, personal=True
    )


async def pick(ctx: Context, answer: Answer) -> Outcome:
    application_id = record_id(answer.choice, "a")
    if application_id is not None:
        found = await applications.get(ctx.session, ctx.user.id, application_id)
        if found is not None:
            ctx.data = {"application_id": found.id}
            return ask("status", _status_question(ctx, found))
    return not_mine()


async def status(ctx: Context, answer: Answer) -> Outcome:
    found = await applications.get(ctx.session, ctx.user.id, int(ctx.data.get("application_id", 0)))
    if found is None or answer.choice not in NEW_STATUSES:
        return not_mine()
    applications.set_status(found, answer.choice, ctx.now)
    if answer.choice == "rejected":
        # The debrief says the one "sorry" and links its rejection to this application
        # (core.pipeline.marked_rejected). "/rejected Acme - Analyst", "/rejected -
        # Analyst" (role only), "/rejected Acme": a leading separator means no company.
        named = f"{found.company or ''} - {found.role}".strip() if found.role else found.company
        return done(then=f"/rejected {named or ''}".rstrip())
    return done(reply(ctx.say(f"progress.now_{answer.choice}")))


DIALOG = Dialog(
    name="progress",
    commands=("progress",),
    steps={"start": start, "action": action, "goal": goal, "pick": pick, "status": status},
)
