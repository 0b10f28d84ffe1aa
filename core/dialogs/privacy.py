"""/privacy, /export and /delete: what is stored and why, a copy of it, erasing it.

``/privacy`` explains what is kept and offers to stop (or start) keeping mood notes;
withdrawing consent stops new notes and offers to delete the ones kept so far.
``/export`` sends every row of the person, in every table found from the schema, as
one JSON file. ``/delete`` asks for confirmation with a button bound to the person
(the dialog nonce), then erases every row of theirs; the next message starts fresh.
Both refuse in a group unless the reply is ephemeral, and point to a direct message.
"""

from __future__ import annotations

import json

from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.messages import Attachment, Reply
from storage.repositories import privacy

EXPORT_FILENAME = "rebound-export.json"
EXPORT_FORMAT = 1


def private_enough(ctx: Context) -> bool:
    """A private chat or DM, or (Discord) a reply only the sender sees."""
    return ctx.incoming.private or ctx.incoming.ephemeral


async def start(ctx: Context, answer: Answer) -> Outcome:
    if answer.command == "export":
        return await _export(ctx)
    if answer.command == "delete":
        return _ask_delete(ctx)
    notes = " ".join(answer.text.casefold().split())
    if notes in (NOTES_OFF, NOTES_ON):  # the overview's button
        return await overview(ctx, Answer(choice="withdraw" if notes == NOTES_OFF else "consent"))
    return _overview(ctx)


NOTES_OFF = "notes off"
NOTES_ON = "notes on"


# -- /privacy ------------------------------------------------------------------------
def _overview(ctx: Context) -> Outcome:
    """Finishes at once (command buttons only): a later typed line is something new, not
    an answer to it, and /privacy in the middle of a dialog keeps that dialog."""
    consent = ctx.user.mood_consent
    notes = {True: "notes_on", False: "notes_off", None: "notes_unasked"}[consent]
    toggle = (
        ctx.command(ctx.say("privacy.stop_notes_button"), f"/privacy {NOTES_OFF}")
        if consent
        else ctx.command(ctx.say("privacy.keep_notes_button"), f"/privacy {NOTES_ON}")
    )
    return done(
        reply(
            ctx.say("privacy.overview", notes=ctx.say(f"privacy.{notes}")),
            ctx.command(ctx.say("privacy.export_button"), "/export"),
            ctx.command(ctx.say("privacy.delete_button"), "/delete"),
            toggle,
        ),
    )


async def overview(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "withdraw":
        ctx.user.mood_consent = False
        kept = await privacy.count_mood_notes(ctx.session, ctx.user.id)
        if not kept:
            return done(reply(ctx.say("privacy.notes_stopped")))
        return ask(
            "old_notes",
            reply(
                ctx.say("privacy.notes_stopped_ask", count=kept),
                ctx.choice(ctx.say("privacy.delete_notes_button"), "delete"),
                ctx.choice(ctx.say("privacy.keep_old_notes_button"), "keep"),
            ),
        )
    if answer.choice == "consent":
        ctx.user.mood_consent = True
        return done(reply(ctx.say("privacy.notes_started")))
    return not_mine()


async def old_notes(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "delete":
        count = await privacy.drop_mood_notes(ctx.session, ctx.user.id)
        return done(reply(ctx.say("privacy.notes_deleted", count=count)))
    if answer.choice == "keep":
        return done(reply(ctx.say("privacy.notes_left")))
    return not_mine()


# -- /export -------------------------------------------------------------------------
async def _export(ctx: Context) -> Outcome:
    if not private_enough(ctx):
        return done(reply(ctx.say("privacy.export_private_only")))
    document = {
        "format": "rebound-export",
        "version": EXPORT_FORMAT,
        "exported_at": ctx.now.isoformat(),
        "platform": ctx.user.platform,
        "user": ctx.user.external_id,
        "tables": await privacy.export(ctx.session, ctx.user.id),
    }
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    attachment = Attachment(filename=EXPORT_FILENAME, data=data, kind="document")
    return done(Reply(ctx.say("privacy.export_ready"), attachment=attachment, personal=True))


# -- /delete -------------------------------------------------------------------------
def _ask_delete(ctx: Context) -> Outcome:
    if not private_enough(ctx):
        return done(reply(ctx.say("privacy.delete_private_only")))
    return ask(
        "confirm_delete",
        reply(
            ctx.say("privacy.delete_confirm"),
            ctx.choice(ctx.say("privacy.delete_yes"), "yes"),
            ctx.choice(ctx.say("privacy.delete_no"), "no"),
        ),
    )


async def confirm_delete(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "yes":
        await privacy.delete_everything(ctx.session, ctx.user.id)
        ctx.state = None  # its row went with everything else
        return done(reply(ctx.say("privacy.deleted")))
    if answer.choice == "no":
        return done(reply(ctx.say("privacy.delete_kept")))
    return not_mine()


DIALOG = Dialog(
    name="privacy",
    commands=("privacy", "export", "delete"),
    steps={
        "start": start,
        "overview": overview,
        "old_notes": old_notes,
        "confirm_delete": confirm_delete,
    },
    # /privacy explains itself anywhere; /export and /delete refuse in groups themselves.
    personal=False,
)
