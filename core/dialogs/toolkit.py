"""Placeholder: commands whose full version another issue builds."""

from __future__ import annotations

from core.dialog import Answer, Context, Dialog, Outcome, done, reply


async def start(ctx: Context, answer: Answer) -> Outcome:
    return done(reply(ctx.say("soon.coming", command=answer.command)))


DIALOG = Dialog(
    name="toolkit",
    commands=(
        "applied",
        "progress",
        "feedback",
        "skills",
        "targets",
        "chart",
    ),
    steps={"start": start},
)
