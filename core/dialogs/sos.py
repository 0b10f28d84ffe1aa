"""/sos: crisis lines, always available, with no prior state needed."""

from __future__ import annotations

from core.crisis import crisis_message
from core.dialog import Answer, Context, Dialog, Outcome, done, reply


async def start(ctx: Context, answer: Answer) -> Outcome:
    return done(reply(crisis_message(ctx.user.country, ctx.user.timezone)))


DIALOG = Dialog(name="sos", commands=("sos",), steps={"start": start})
