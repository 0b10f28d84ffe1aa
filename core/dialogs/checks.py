"""Does typed text answer the step's question? (issue 13: a step takes only what fits.)

A step that stores typed text asks here first. A heavy feeling ("I'm useless", "nobody
will ever hire me") is acknowledged, never stored; a doubtful strength ("not good at
interviews") is confirmed before it is saved. Crisis and Ask messages never get this
far: the engine's safety check stops the step before it runs.
"""

from __future__ import annotations

from core import feelings
from core.dialog import Context, reply
from core.messages import Reply

CONFIRM_YES = "yes"
CONFIRM_NO = "no"


async def feeling_instead(ctx: Context, text: str) -> Reply | None:
    """The acknowledgement of a heavy feeling typed where an answer was asked for, or
    None when ``text`` can be taken as the answer."""
    feeling = feelings.heavy(text)
    if feeling is None:
        return None
    return reply(await ctx.vary(f"feelings.ack.{feeling}"))


def confirm_strength(ctx: Context, text: str) -> Reply | None:
    """ "Shall I save that as a strength?" when ``text`` reads unlike one (a negation, a
    question); None when it can be saved as it is. The text waits in ``ctx.data``."""
    if not feelings.doubtful(text):
        return None
    ctx.data["pending_strength"] = text
    return reply(
        ctx.say("strengths.confirm", text=text),
        ctx.choice(ctx.say("strengths.confirm_yes"), CONFIRM_YES),
        ctx.choice(ctx.say("strengths.confirm_no"), CONFIRM_NO),
        personal=True,
    )
