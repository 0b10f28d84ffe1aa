"""/sos: crisis lines, always available, with no prior state needed.

``/sos`` uses the person's country (told, or from their time zone); ``/sos GB`` shows
the lines of another country, e.g. when travelling.
"""

from __future__ import annotations

from core.crisis import crisis_message, resources_for
from core.dialog import Answer, Context, Dialog, Outcome, done, reply


async def start(ctx: Context, answer: Answer) -> Outcome:
    asked = answer.text.strip().upper()
    if len(asked) == 2 and resources_for(asked) is not None:
        return done(reply(crisis_message(asked, None, told=False)))
    return done(reply(crisis_message(ctx.user.country, ctx.user.timezone, told=False)))


DIALOG = Dialog(
    name="sos",
    commands=("sos",),
    steps={"start": start},
    personal=False,
    interjection=True,
    parks=True,
)
