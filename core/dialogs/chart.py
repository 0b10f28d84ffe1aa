"""/chart [30|90]: the mood picture with rejections, interviews and applications on
the same time line. Fewer than two mood entries get a kind word instead of a plot."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from core import chart, pipeline
from core.dialog import Answer, Context, Dialog, Outcome, done, reply
from core.dialogs.fields import small_int
from core.messages import Attachment, Reply
from storage.repositories import applications, moods, rejections

RANGES = (30, 90)
FILENAME = "rebound-mood-chart.png"


async def chart_reply(ctx: Context, days: int) -> Reply:
    first_day = ctx.today - timedelta(days=days - 1)
    start = datetime.combine(first_day, time.min, tzinfo=ctx.zone)
    entries = await moods.since(ctx.session, ctx.user.id, start)
    if len(entries) < 2:
        return reply(ctx.say("chart.too_few", days=days, count=len(entries)))
    events = [
        chart.Event(pipeline.rejection_at(r, ctx.zone), "rejection")
        for r in await rejections.since(ctx.session, ctx.user.id, start)
    ]
    for application in await applications.list_for(ctx.session, ctx.user.id):
        applied_at = datetime.combine(application.applied_on, time(12), tzinfo=ctx.zone)
        if applied_at >= start:
            events.append(chart.Event(applied_at, "application"))
        if application.status in ("interview", "offer") and application.status_changed_at >= start:
            events.append(chart.Event(application.status_changed_at, "interview"))
    points = [chart.MoodPoint(e.created_at, e.score) for e in entries]
    today, zone = ctx.today, ctx.zone

    def render() -> bytes:
        # About 0.2 s of CPU: the engine runs it in a thread after the transaction.
        figure = chart.mood_figure(points, events, first_day=first_day, last_day=today, zone=zone)
        return chart.to_png(figure)

    caption = "chart.caption" if events else "chart.caption_no_events"
    other = RANGES[1] if days == RANGES[0] else RANGES[0]
    return Reply(
        ctx.say(caption, days=days),
        buttons=(ctx.command(ctx.say(f"chart.show_{other}"), f"/chart {other}"),),
        attachment=Attachment(FILENAME, b"", kind="photo", render=render),
        personal=True,
        typing=True,
    )


async def start(ctx: Context, answer: Answer) -> Outcome:
    argument = answer.text.strip().lower().removesuffix("d").removesuffix(" days")
    if not argument:
        return done(await chart_reply(ctx, RANGES[0]))
    days = small_int(argument, min(RANGES), max(RANGES))
    if days in RANGES:
        return done(await chart_reply(ctx, days))
    return done(reply(ctx.say("chart.usage")))


DIALOG = Dialog(name="chart", commands=("chart",), steps={"start": start})
