"""/mood: log a 1-5 score, with an optional note kept only after consent.

``/mood`` shows buttons 1-5 and a short history; ``/mood 2 rough day`` logs at once.
The score is saved as soon as it is given; a note follows if the person wants. The
first note from someone who was never asked about notes triggers the question; until
they say yes the note is held in the dialog, not stored.
"""

from __future__ import annotations

from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import format_date, small_int
from core.dialogs.records import EDIT_WORDS, handover, undo_button
from core.dialogs.strengths import list_reply
from core.feelings import Feeling, read
from core.messages import Button, Reply
from core.words import whole_number
from storage.repositories import moods, strengths

GOOD_FEELINGS = frozenset({Feeling.RELIEF, Feeling.JOY, Feeling.STEADY})
ACKNOWLEDGED = "acknowledged"
"""Dialog data key: the typed feeling was already answered, so the score needs no second
"sorry"."""

NOTE_LIMIT = 1000
LOW = 2


def _score_buttons(ctx: Context) -> tuple[Button, ...]:
    return tuple(ctx.choice(str(n), str(n)) for n in range(1, 6))


def parse_score(text: str) -> tuple[int, str] | None:
    """``"2 rough day"`` -> (2, "rough day"); ``"two"``, ``"3/5"`` and ``"4 out of 5"``
    too (core.words); None unless it starts with a score from 1 to 5."""
    head, _, note = text.strip().partition(" ")
    value = small_int(head, 1, 5)
    if value is None:
        value = whole_number(head, 1, 5)
    if value is not None and note.lower().startswith(("out of 5", "out of five")):
        note = note.split(None, 3)[3] if len(note.split()) > 3 else ""
    return None if value is None else (value, note.strip())


async def history_reply(ctx: Context) -> Reply | None:
    entries = await moods.recent(ctx.session, ctx.user.id, ctx.settings.mood_history_length)
    if not entries:
        return None
    lines = [ctx.say("mood.history_heading")]
    for entry in entries:
        local = entry.created_at.astimezone(ctx.zone)
        note_part = f" — {entry.note}" if entry.note else ""
        lines.append(
            ctx.say(
                "mood.history_line",
                date=format_date(local.date()),
                score=entry.score,
                note_part=note_part,
            )
        )
    return reply("\n".join(lines), personal=True)


async def start(ctx: Context, answer: Answer) -> Outcome:
    action, _, rest = answer.text.partition(" ")
    if action.lower() in EDIT_WORDS:
        return handover("mood", action.lower(), rest.strip())
    if answer.text:
        parsed = parse_score(answer.text)
        if parsed is None:
            return done(reply(ctx.say("mood.usage")))
        value, note = parsed
        return await _log(ctx, value, note)
    if answer.said:
        return await acknowledge(ctx, answer.said)
    history = await history_reply(ctx)
    replies = [history] if history else []
    return ask("score", *replies, reply(ctx.say("mood.ask"), *_score_buttons(ctx)))


async def acknowledge(ctx: Context, said: str) -> Outcome:
    """A feeling typed in free text: an acknowledgement that fits it (docs/CONTENT.md: at its
    real strength), then one offer: the guided strengths after self-criticism, else
    logging the day from 1 to 5."""
    feeling = read(said)
    ack = reply(await ctx.vary(f"feelings.ack.{feeling or 'plain'}"))
    ctx.data[ACKNOWLEDGED] = True
    if feeling is Feeling.SELF_CRITICISM:
        has_list = await strengths.count(ctx.session, ctx.user.id) > 0
        offer = reply(
            ctx.say("feelings.offer.strengths" if has_list else "feelings.offer.strengths_empty"),
            ctx.choice(ctx.say("feelings.offer.strengths_yes"), "strengths"),
            ctx.choice(ctx.say("feelings.offer.strengths_no"), "no"),
        )
        return ask("offer", ack, offer)
    key = "feelings.offer.mood_good" if feeling in GOOD_FEELINGS else "feelings.offer.mood_low"
    leave = ctx.choice(ctx.say("feelings.offer.leave_it"), "skip")
    return ask("score", ack, reply(ctx.say(key), *_score_buttons(ctx), leave))


async def offer(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "strengths":
        return done(then="/strengths")
    if answer.choice == "no":
        return done(reply(ctx.say("feelings.offer.declined")))
    return not_mine()


async def score(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "skip":
        return done(reply(ctx.say("feelings.offer.declined")))
    chosen = parse_score(answer.choice or answer.text)
    if chosen is None:
        if answer.text and not answer.choice:
            return not_mine()
        return ask("score", reply(ctx.say("mood.ask"), *_score_buttons(ctx)))
    value, note = chosen
    return await _log(ctx, value, note, offer_note=not note)


async def note(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "skip" or not answer.text:
        return done(reply(ctx.say("mood.note_skipped")))
    return await _attach(ctx, answer.text.strip())


async def consent(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice not in ("yes", "no"):
        return not_mine() if answer.text else _ask_consent(ctx)
    ctx.user.mood_consent = answer.choice == "yes"
    return await _attach(ctx, str(ctx.data.get("note", "")))


def _ask_consent(ctx: Context) -> Outcome:
    return ask(
        "consent",
        reply(
            ctx.say("mood.ask_consent"),
            ctx.choice(ctx.say("mood.yes_keep"), "yes"),
            ctx.choice(ctx.say("mood.no_keep"), "no"),
        ),
    )


async def _log(ctx: Context, value: int, note: str, *, offer_note: bool = False) -> Outcome:
    """Save the score at once (a note or a consent question may follow)."""
    if len(note) > NOTE_LIMIT:
        return done(reply(ctx.say("mood.note_too_long", length=len(note), limit=NOTE_LIMIT)))
    entry_id = await moods.add(ctx.session, ctx.user.id, value, None, ctx.now)
    acknowledged = bool(ctx.data.get(ACKNOWLEDGED))
    ctx.data = {}
    replies = [reply(ctx.say("mood.saved", score=value), undo_button(ctx, "mood", entry_id))]
    if not acknowledged:  # a typed feeling was answered already: no second "sorry"
        tone = (
            "mood.reply_low"
            if value <= LOW
            else "mood.reply_mid"
            if value == 3
            else "mood.reply_high"
        )
        replies.append(reply(await ctx.vary(tone)))
    if value <= LOW:
        replies += await offer_strengths(ctx)
    if note:
        outcome = await _attach(ctx, note)
        return Outcome([*replies, *outcome.replies], outcome.next)
    if offer_note and ctx.user.mood_consent is not False:
        question = reply(ctx.say("mood.ask_note"), ctx.choice(ctx.say("mood.skip"), "skip"))
        return ask("note", *replies, question)
    return done(*replies)


async def _attach(ctx: Context, note: str) -> Outcome:
    """Add ``note`` to the entry just logged, if the person agreed to keep notes."""
    if len(note) > NOTE_LIMIT:
        too_long = ctx.say("mood.note_too_long", length=len(note), limit=NOTE_LIMIT)
        return ask("note", reply(too_long, ctx.choice(ctx.say("mood.skip"), "skip")))
    if ctx.user.mood_consent is None:
        ctx.data["note"] = note
        return _ask_consent(ctx)
    if ctx.user.mood_consent is False:
        return done(reply(ctx.say("mood.note_not_kept")))
    # The dialog was opened by that entry, and any later /mood would have closed it: the
    # person's newest entry is the one the note belongs to.
    latest = await moods.recent(ctx.session, ctx.user.id, 1)
    if not latest:
        return done(reply(ctx.say("mood.note_not_kept")))
    latest[0].note = note
    return done(reply(ctx.say("mood.note_added"), personal=True))


async def offer_strengths(ctx: Context) -> list[Reply]:
    """After a low mood: the saved strengths, unprompted, at most once a local day."""
    if ctx.user.strengths_offered_on == ctx.today:
        return []
    shown = await list_reply(ctx)
    if shown is None:
        return []
    ctx.user.strengths_offered_on = ctx.today
    return [reply(ctx.say("mood.strengths_offer")), shown]


DIALOG = Dialog(
    name="mood",
    commands=("mood",),
    steps={
        "start": start,
        "score": score,
        "note": note,
        "consent": consent,
        "offer": offer,
    },
)
