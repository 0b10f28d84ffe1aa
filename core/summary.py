"""The weekly summary the scheduler sends: applications, mood trend, steps taken and
one strength from the person's own list. Built here, sent by the scheduler's tick."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core import content, progress
from storage.models import User
from storage.repositories import (
    applications,
    feedback,
    moods,
    reflections,
    skills,
    strengths,
    targets,
)

WEEK = timedelta(days=7)


async def weekly_summary(session: AsyncSession, user: User, now: datetime) -> str:
    """The past seven days, for ``user``, as one short message."""
    zone = ZoneInfo(user.timezone)
    today = now.astimezone(zone).date()
    start = now - WEEK
    lines = [
        content.text("summary.heading", name=user.name)
        if user.name
        else content.text("summary.heading_unnamed")
    ]

    first_day = today - timedelta(days=6)
    sent = [
        a
        for a in await applications.list_for(session, user.id)
        if first_day <= a.applied_on <= today
    ]
    if not sent:
        lines.append(content.text("summary.applications_none"))
    elif user.weekly_goal:
        lines.append(
            content.text("summary.applications_goal", count=len(sent), goal=user.weekly_goal)
        )
    else:
        lines.append(content.text("summary.applications", count=len(sent)))

    mood_line = await _mood_line(session, user.id, now)
    if mood_line:
        lines.append(mood_line)

    lines.append(steps_line(await steps_taken(session, user.id, start)))

    listed = await strengths.list_for(session, user.id)
    if listed:
        week_number = today.isocalendar().week
        chosen = listed[week_number % len(listed)]
        lines.append(content.text("summary.strength", text=chosen.text))
    else:
        lines.append(content.text("summary.no_strength"))
    lines.append(content.text("summary.footer"))
    return "\n".join(lines)


STEP_KINDS = ("feedback", "reflections", "skills_added", "skills_done", "targets")


async def steps_taken(session: AsyncSession, user_id: int, since: datetime) -> dict[str, int]:
    """How many of each kind of step (``STEP_KINDS``) the person took after ``since``
    (UTC): feedback requests drafted, reflections written, skills added to the plan,
    skills done, target companies added. Kinds with none are left out."""
    counts = {
        "feedback": len(await feedback.since(session, user_id, since)),
        "reflections": len(await reflections.since(session, user_id, since)),
        "skills_added": sum(
            1 for item in await skills.list_for(session, user_id) if item.created_at >= since
        ),
        "skills_done": await skills.done_since(session, user_id, since),
        "targets": len(await targets.since(session, user_id, since)),
    }
    return {kind: n for kind, n in counts.items() if n}


def steps_line(counts: dict[str, int], key: str = "summary.steps") -> str:
    """ "Steps taken: 2 (1 feedback request, 1 reflection)": exactly the kinds taken."""
    total = sum(counts.values())
    if not total:
        return content.text(f"{key}_none")
    parts = [
        content.text(f"summary.step_{kind}_one" if n == 1 else f"summary.step_{kind}", count=n)
        for kind, n in counts.items()
    ]
    return content.text(key, count=total, parts=content.text("summary.step_separator").join(parts))


async def _mood_line(session: AsyncSession, user_id: int, now: datetime) -> str | None:
    entries = await moods.since(session, user_id, now - 2 * WEEK)
    recent = [e.score for e in entries if e.created_at > now - WEEK]
    earlier = [e.score for e in entries if e.created_at <= now - WEEK]
    if not recent:
        return None
    average = f"{fmean(recent):.1f}"
    trend = progress.mood_trend(earlier, recent)
    if trend is None:
        return content.text("summary.mood_only", average=average)
    before = f"{fmean(earlier):.1f}"
    return content.text(f"summary.mood_{trend}", average=average, before=before)
