"""The answers to a scheduled check-in: ``/checkin applied 1-2``, ``/checkin heard
interview``, ``/checkin nudge yes``.

A hidden command (not in the menu): the check-in's buttons carry it, so an answer works
whenever it is pressed, even days later or after a restart. Each answer is kept as it
was given (``checkin_answers``) and /progress shows the latest. Nothing is invented from an
answer: "1-2 applications" names no company, so it offers /applied to log them, a "no"
offers the /rejected debrief, and "show me" opens the person's /targets.
"""

from __future__ import annotations

from core import checkins, pipeline
from core.dialog import Answer, Context, Dialog, Outcome, done, reply
from core.dialogs import news
from storage.repositories import checkins as checkin_answers

APPLIED_REPLIES = {"0": "applied_0", "1-2": "applied_some", "3+": "applied_many"}


async def start(ctx: Context, answer: Answer) -> Outcome:
    if not answer.text.strip():
        return done(reply(ctx.say("schedule.checkin.usage")))
    question, _, value = answer.text.strip().partition(" ")
    value = value.strip()
    if question == "applied" and value in checkins.values("applied"):
        await checkin_answers.record(ctx.session, ctx.user.id, question, value, ctx.now)
        outcome = _applied(ctx, value)
        silent = await pipeline.silent_unasked(ctx.session, ctx.user.id, ctx.today, ctx.zone)
        if silent:  # asked once per application, one at a time, oldest first
            outcome.replies.append(news.ghost_question(ctx, silent[0]))
        return outcome
    if question == "heard" and value in checkins.values("heard_back"):
        await checkin_answers.record(ctx.session, ctx.user.id, question, value, ctx.now)
        return _heard(ctx, value)
    if question == "nudge" and value in checkins.values("nudge"):
        await checkin_answers.record(ctx.session, ctx.user.id, question, value, ctx.now)
        if value == "yes":
            return done(then="/targets")
        return done(reply(ctx.say("schedule.checkin.nudge_no")))
    return done(reply(ctx.say("schedule.checkin.stale")))


def _applied(ctx: Context, value: str) -> Outcome:
    text = f"{checkins.reply_text(APPLIED_REPLIES[value])}\n\n{checkins.question('heard_back')}"
    buttons = list(checkins.buttons("heard_back"))
    if value != "0":
        buttons.append(ctx.command(ctx.say("schedule.checkin.log_them"), "/applied"))
    return done(reply(text, *buttons, personal=True))


def _heard(ctx: Context, value: str) -> Outcome:
    text = f"{checkins.reply_text(f'heard_{value}')}\n\n{checkins.question('nudge')}"
    buttons = list(checkins.buttons("nudge"))
    if value == "rejected":
        buttons.append(ctx.command(ctx.say("schedule.checkin.debrief"), "/rejected"))
    elif value in ("interview", "offer"):
        buttons.append(ctx.command(ctx.say("schedule.checkin.progress"), "/progress"))
    return done(reply(text, *buttons, personal=True))


DIALOG = Dialog(
    name="checkin", commands=("checkin",), steps={"start": start}, unlisted=("checkin",)
)
