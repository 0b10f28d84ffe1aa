"""/news: news of an application moves the one record (core/pipeline.py).

A hidden command (not in the menu) that buttons and other dialogs hand over to:

- ``/news ghosted 12`` / ``/news waiting 12``: the answer to the check-in's question
  about an application silent for ``pipeline.GHOST_AFTER`` (asked once per application);
- ``/news offer Initech - Analyst``, ``/news interview Initech``: an offer or an
  interview for a company with an open application updates it (asks which when there
  are several; offers /applied when there is none).
"""

from __future__ import annotations

from core import pipeline, sentences
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import company_role, format_date, record_id, split_company_role
from core.messages import Reply
from storage.models import Application
from storage.repositories import applications

MOVES = ("offer", "interview")
ANSWERS = ("ghosted", "waiting")


def command_for(said: sentences.Said) -> str | None:
    """The ``/news`` command a sentence about an offer or an interview hands over to
    ("got an offer from Initech for the analyst role" -> ``/news offer Initech -
    analyst``), for the good-news dialog; None for other sentences or without a company."""
    if said.kind not in MOVES or said.company is None:
        return None
    named = f"{said.company} - {said.role}" if said.role else said.company
    return f"/news {said.kind} {named}"


def ghost_question(ctx: Context, application: Application) -> Reply:
    """The once-only question about a silent application, as command buttons (they
    work whenever pressed, like the check-in's own)."""
    application.ghost_asked_at = ctx.now
    what = company_role(application.company, application.role) or ctx.say("records.unnamed")
    return reply(
        ctx.say(
            "news.ask_ghosted",
            what=what,
            date=format_date(application.applied_on, weekday=False),
            days=(ctx.today - pipeline.last_news(application, ctx.zone)).days,
        ),
        ctx.command(ctx.say("news.close_ghosted"), f"/news ghosted {application.id}"),
        ctx.command(ctx.say("news.keep_waiting"), f"/news waiting {application.id}"),
        personal=True,
    )


async def start(ctx: Context, answer: Answer) -> Outcome:
    word, _, rest = answer.text.strip().partition(" ")
    word = word.lower()
    if word in ANSWERS:
        number = rest.strip()
        found = None
        if number.isascii() and number.isdigit() and len(number) < 19:
            found = await applications.get(ctx.session, ctx.user.id, int(number))
        if found is None:
            return done(reply(ctx.say("records.gone")))
        if word == "ghosted" and found.status in applications.OPEN:
            applications.set_status(found, "ghosted", ctx.now)
            return done(reply(ctx.say("news.ghosted")))
        return done(reply(ctx.say("news.waiting")))
    if word in MOVES:
        company, role = split_company_role(rest) if rest.strip() else (None, None)
        found_apps = await pipeline.matching(ctx.session, ctx.user.id, company, role)
        if len(found_apps) == 1:
            return done(_move(ctx, found_apps[0], word))
        if not found_apps:
            return done(
                reply(
                    ctx.say("news.no_application", what=company or ctx.say("news.that_one")),
                    ctx.command(ctx.say("news.log_it"), f"/applied {rest.strip()}"[:60]),
                )
            )
        ctx.data = {"move": word}
        buttons = [
            ctx.choice(
                f"{company_role(a.company, a.role)} · {format_date(a.applied_on, weekday=False)}"[
                    :60
                ],
                f"a{a.id}",
            )
            for a in found_apps[:8]
        ]
        return ask("which", reply(ctx.say("news.which"), *buttons, personal=True))
    return done(reply(ctx.say("news.usage")))


def _move(ctx: Context, application: Application, status: str) -> Reply:
    applications.set_status(application, status, ctx.now)
    what = company_role(application.company, application.role) or ctx.say("records.unnamed")
    return reply(ctx.say(f"news.moved_{status}", what=what), personal=True)


async def which(ctx: Context, answer: Answer) -> Outcome:
    chosen = record_id(answer.choice, "a")
    status = str(ctx.data.get("move", ""))
    if chosen is None or status not in MOVES:
        return not_mine()
    found = await applications.get(ctx.session, ctx.user.id, chosen)
    if found is None:
        return done(reply(ctx.say("records.gone")))
    return done(_move(ctx, found, status))


DIALOG = Dialog(
    name="news", commands=("news",), steps={"start": start, "which": which}, unlisted=("news",)
)
