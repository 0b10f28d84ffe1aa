"""/vouch CODE: a friend adds strengths for the person who sent them an invite.

The friend is told in two lines who asked (as the person chose to be called) and what
happens to their words, then writes one or more strengths, an optional note and,
optionally, how to sign. Every typed line has already passed the engine's crisis check
(a crisis-tier message gets the crisis reply and ends this dialog: nothing is sent);
hostile words (core/invites.is_hostile) are never passed on. What is stored: the words
and the signature, in ``contributions``, owned by the person, nothing about the friend.
A friend who had no record before keeps none after (their bare first-contact row goes).
On Telegram the deep link ``/start vouch-CODE`` arrives here as ``/vouch CODE``.
"""

from __future__ import annotations

from core import content
from core import invites as rules
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, reply
from core.recurrence import local_date
from storage.models import Invite, User
from storage.repositories import deliveries, invites, privacy, users

LEFT_BEHIND = frozenset({"users", "conversation_states"})
"""Tables where a first-time visitor has rows of their own just by writing to the bot."""


async def start(ctx: Context, answer: Answer) -> Outcome:
    code = rules.normal_code(answer.text)
    if not answer.text.strip():
        return done(reply(ctx.say("friends.vouch_usage")))
    invite = await invites.find(ctx.session, code) if code else None
    refusal = _refusal(ctx, invite)
    if refusal is not None:
        return done(reply(refusal))
    assert invite is not None
    name = await _person_name(ctx, invite)
    lead = name if name != ctx.say("friends.unnamed_person") else ctx.say("friends.unnamed_lead")
    ctx.data.update(code=invite.code, name=name, strengths=[])
    return ask(
        "strength",
        reply(ctx.say("friends.intro", name=name, lead=lead)),
        reply(ctx.say("friends.ask_strength", name=name)),
    )


def _refusal(ctx: Context, invite: Invite | None) -> str | None:
    """Why this invite cannot be used now, in words for the friend; None when it can."""
    if invite is None:
        return ctx.say("friends.unknown_code")
    if invite.user_id == ctx.user.id:
        return ctx.say("friends.own_invite")
    if invite.withdrawn_at is not None or invite.blocked:
        return ctx.say("friends.closed")
    if invite.expires_at <= ctx.now:
        return ctx.say("friends.expired")
    if invite.uses >= invite.max_uses:
        return ctx.say("friends.used_up")
    return None


async def _person_name(ctx: Context, invite: Invite) -> str:
    person = await ctx.session.get(User, invite.user_id)
    name = (person.name if person is not None else None) or ""
    return name.strip() or ctx.say("friends.unnamed_person")


def _checked(ctx: Context, text: str, limit: int) -> str | None:
    """Why the friend's words cannot be passed on, or None when they can."""
    name = ctx.data.get("name", "")
    if not text:
        return ctx.say("friends.need_text")
    if len(text) > limit:
        return ctx.say("friends.too_long", length=len(text), limit=limit)
    if rules.is_hostile(text):
        return ctx.say("friends.hostile", name=name)
    return None


def _said(text: str, key: str) -> bool:
    """Whether the whole answer is one of the words listed under ``key`` ("done",
    "that's all"; "hi", "thanks"), whatever its case, apostrophes and end punctuation."""
    said = " ".join(text.casefold().replace("\u2019", "'").strip(" .!?,").split())
    words = {w.casefold() for w in content.texts(key)}
    return said in words or said.replace("'", "") in {w.replace("'", "") for w in words}


def _ask_more(ctx: Context, *lead: str) -> Outcome:
    return ask(
        "more",
        reply(
            "\n".join([*lead, ctx.say("friends.more")]),
            ctx.choice(ctx.say("friends.add_another"), "again"),
            ctx.choice(ctx.say("friends.thats_all"), "done"),
        ),
    )


async def strength(ctx: Context, answer: Answer) -> Outcome:
    text = " ".join(answer.text.split())
    written = list(ctx.data.get("strengths", []))
    if written and _said(text, "friends.finish_words"):
        return _ask_note(ctx)
    if _said(text, "friends.chat_words"):  # "hi", "thanks": not a strength
        name = ctx.data.get("name", "")
        return ask("strength", reply(ctx.say("friends.not_a_strength", name=name)))
    problem = _checked(ctx, text, rules.STRENGTH_LIMIT)
    if problem is not None:
        return ask("strength", reply(problem))
    written.append(text)
    ctx.data["strengths"] = written
    if len(written) >= rules.STRENGTHS_PER_VISIT:
        return _ask_note(ctx, ctx.say("friends.enough", count=rules.STRENGTHS_PER_VISIT))
    return _ask_more(ctx)


async def more(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "again":
        return ask("strength", reply(ctx.say("friends.ask_strength_again", name=ctx.data["name"])))
    if answer.choice == "done" or _said(answer.text, "friends.finish_words"):
        return _ask_note(ctx)
    if _said(answer.text, "friends.chat_words"):  # "hi", "thanks": not a strength
        return _ask_more(ctx, ctx.say("friends.not_a_strength_more", name=ctx.data["name"]))
    if answer.text.strip():  # typed another strength straight away
        return await strength(ctx, answer)
    return ask("more", reply(ctx.say("friends.need_text")))


def _ask_note(ctx: Context, *lead: str) -> Outcome:
    return ask(
        "note",
        reply(
            "\n".join([*lead, ctx.say("friends.ask_note", name=ctx.data["name"])]),
            ctx.choice(ctx.say("friends.skip"), "skip"),
        ),
    )


async def note(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice != "skip":
        text = " ".join(answer.text.split())
        problem = _checked(ctx, text, rules.NOTE_LIMIT)
        if problem is not None:
            return ask("note", reply(problem, ctx.choice(ctx.say("friends.skip"), "skip")))
        ctx.data["note"] = text
    return ask(
        "signed",
        reply(
            ctx.say("friends.ask_signed"),
            ctx.choice(ctx.say("friends.stay_unnamed"), "unnamed"),
        ),
    )


async def signed(ctx: Context, answer: Answer) -> Outcome:
    signature = None
    if answer.choice != "unnamed":
        signature = " ".join(answer.text.split())
        unnamed = ctx.choice(ctx.say("friends.stay_unnamed"), "unnamed")
        if len(signature) > rules.SIGNED_LIMIT:
            too_long = ctx.say("friends.signed_too_long", limit=rules.SIGNED_LIMIT)
            return ask("signed", reply(too_long, unnamed))
        problem = _checked(ctx, signature, rules.SIGNED_LIMIT)
        if problem is not None:
            return ask("signed", reply(problem, unnamed))
    return await _send(ctx, signature)


async def _send(ctx: Context, signature: str | None) -> Outcome:
    """Store what the friend wrote for the person and queue its delivery; the invite is
    checked again, since it may have been withdrawn or used up meanwhile."""
    invite = await invites.find(ctx.session, ctx.data.get("code", ""), lock=True)
    refusal = _refusal(ctx, invite)
    if refusal is not None:
        return done(reply(refusal))
    assert invite is not None
    invite.uses += 1
    person = await ctx.session.get(User, invite.user_id)
    assert person is not None
    day = local_date(ctx.now, person.timezone)
    note_text = ctx.data.get("note")
    queued = []
    for index, text in enumerate(ctx.data.get("strengths", [])):
        row = await invites.add_contribution(
            ctx.session,
            invite,
            text,
            ctx.now,
            note=note_text if index == 0 else None,
            signed=signature,
        )
        queued.append(
            {
                "user_id": person.id,
                "kind": rules.delivery_kind(row.id),
                "local_date": day,
                "created_at": ctx.now,
            }
        )
    await deliveries.add_pending(ctx.session, queued)
    name = ctx.data.get("name", "")
    if name == ctx.say("friends.unnamed_person"):  # it starts a sentence: "Your friend"
        name = ctx.say("friends.unnamed_lead")
    await _forget_visitor(ctx)
    return done(reply(ctx.say("friends.sent", name=name)))


async def _forget_visitor(ctx: Context) -> None:
    """A friend who never used Rebound does not become a user with a record: the row the
    engine made on their first message goes, with the dialog state."""
    user = ctx.user
    if user.onboarded or user.name or user.linked_to is not None:
        return
    held = await privacy.export(ctx.session, user.id)
    if any(rows for table, rows in held.items() if table not in LEFT_BEHIND):
        return
    ctx.state = None  # its row goes when the message is done
    await users.delete_person(ctx.session, user.id)


DIALOG = Dialog(
    name="vouch",
    commands=("vouch",),
    steps={"start": start, "strength": strength, "more": more, "note": note, "signed": signed},
    ends_on_crisis=True,
    goodbye="friends.cancelled",
)
