"""Placeholder: commands whose full version another issue builds."""

from __future__ import annotations

from core.dialog import Answer, Context, Dialog, Outcome, done, reply


async def start(ctx: Context, answer: Answer) -> Outcome:
    return done(reply(ctx.say("soon.coming", command=answer.command)))


DIALOG = Dialog(
    name="schedule",
    commands=(
        "timezone",
        "affirmations",
        "checkins",
        "settings",
        "pause",
        "resume",
        "affirmation",
    ),
    steps={"start": start},
)
