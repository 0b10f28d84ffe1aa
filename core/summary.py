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

    steps = (
        len(await feedback.since(session, user.id, start))
        + len(await reflections.since(session, user.id, start))
        + len(await targets.since(session, user.id, start))
        + await skills.done_since(session, user.id, start)
        + sum(1 for item in await skills.list_for(session, user.id) if item.created_at >= start)
    )
    lines.append(
        content.text("summary.steps", count=steps) if steps else content.text("summary.steps_none")
    )

    listed = await strengths.list_for(session, user.id)
    if listed:
        week_number = today.isocalendar().week
        chosen = listed[week_number % len(listed)]
        lines.append(content.text("summary.strength", text=chosen.text))
    else:
        lines.append(content.text("summary.no_strength"))
    lines.append(content.text("summary.footer"))
    return "\n".join(lines)


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
