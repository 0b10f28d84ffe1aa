"""Edit, remove and undo, the same way for every kind of record: applications,
rejections, mood entries, skills, targets and strengths.

``/applied edit`` (and ``/rejected edit``, ``/mood edit``, ...) hands over to
``/edit applied``: a list of buttons, then which field, then the new value.
``/applied remove 2`` or ``/applied remove Hooli`` hands over to ``/remove applied 2``:
the record by its number in that list or by its text, then a yes/no question (typed
"yes" or "no" work too). ``/undo application 12`` is the button that follows a record
just logged: it deletes that record within ``UNDO_WINDOW`` of its creation.

``items(ctx, kind)`` is the one function that lists a kind's records in the order they
are numbered, so paging can be added there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from core import sentences
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import FIELD_LIMIT, clean, company_role, format_date, record_id
from core.messages import Button, Reply
from core.pipeline import rejection_day, reopen_for
from core.words import fold, whole_number, yes_no
from storage.models import (
    Application,
    Base,
    MoodEntry,
    Rejection,
    SkillItem,
    Strength,
    Target,
)
from storage.repositories import applications, records, skills, strengths, targets

UNDO_WINDOW = timedelta(minutes=10)
"""How long the Undo button under a record just logged works."""
BUTTONS_SHOWN = 10
"""Records offered as buttons at once (the newest; typing a number reaches any)."""
LABEL_LIMIT = 60
TEXT_LIMIT = 500
"""Strengths and mood notes, as where they are first written."""
SKILL_LIMIT = 300
STAGES = ("application", "screening", "technical", "final", "offer")


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    """``application``, ``rejection``, ``mood``, ``skill``, ``target``, ``strength``."""
    command: str
    """The command whose records these are: ``applied``, ``rejected``, ..."""
    model: type[Base]
    fields: tuple[str, ...]
    """Editable fields, in the order offered."""


KINDS = (
    Kind("application", "applied", Application, ("company", "role", "applied_on", "status")),
    Kind("rejection", "rejected", Rejection, ("company", "role", "stage")),
    Kind("mood", "mood", MoodEntry, ("score", "note")),
    Kind("skill", "skills", SkillItem, ("text", "target_date")),
    Kind("target", "targets", Target, ("company",)),
    Kind("strength", "strengths", Strength, ("text",)),
)
_BY_WORD = {**{k.name: k for k in KINDS}, **{k.command: k for k in KINDS}}
_BY_WORD.update({"applications": _BY_WORD["application"], "rejections": _BY_WORD["rejection"]})
_BY_WORD.update({"moods": _BY_WORD["mood"]})


def kind_for(word: str) -> Kind | None:
    """The kind a word names: its own name or its command (``applied``, ``skills``)."""
    return _BY_WORD.get(word.lower().lstrip("/"))


# -- listing --------------------------------------------------------------------------


async def items(ctx: Context, kind: Kind) -> Sequence[Any]:
    """A kind's records in the order they are numbered: strengths, skills and targets
    as their own lists show them (oldest first); applications, rejections and moods
    newest first."""
    if kind.name == "strength":
        return await strengths.list_for(ctx.session, ctx.user.id)
    if kind.name == "skill":
        return await skills.list_for(ctx.session, ctx.user.id)
    if kind.name == "target":
        return await targets.list_for(ctx.session, ctx.user.id)
    return await records.newest_first(ctx.session, kind.model, ctx.user.id)


def label(ctx: Context, kind: Kind, row: Any) -> str:
    """How one record is named in a list or a confirmation."""
    if kind.name == "application":
        what = company_role(row.company, row.role) or ctx.say("records.unnamed")
        return ctx.say(
            "records.label_application",
            what=what,
            date=format_date(row.applied_on, weekday=False),
            status=ctx.say(f"records.status_{row.status}"),
        )
    if kind.name == "rejection":
        what = company_role(row.company, row.role) or ctx.say("records.unnamed")
        day = rejection_day(row, ctx.zone)
        return ctx.say("records.label_rejection", what=what, date=format_date(day, weekday=False))
    if kind.name == "mood":
        day = row.created_at.astimezone(ctx.zone).date()
        note = f" — {row.note}" if row.note else ""
        return ctx.say(
            "records.label_mood", score=row.score, date=format_date(day, weekday=False), note=note
        )
    if kind.name == "target":
        return str(row.company)
    return str(row.text)


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_of(kind: Kind, row: Any) -> str:
    """The words a record is found by when removed by text."""
    if kind.name in ("application", "rejection"):
        return " ".join(p for p in (row.company, row.role) if p)
    if kind.name == "target":
        return str(row.company)
    if kind.name == "mood":
        return str(row.note or "")
    return str(row.text)


async def find(ctx: Context, kind: Kind, said: str) -> tuple[Any | None, list[Any]]:
    """The record ``said`` names: its number in ``items`` or its text (the whole text,
    or words found in only one record). Returns (the record, or None; and when the
    text fits several, those several)."""
    rows = list(await items(ctx, kind))
    number = whole_number(said, 1, 1_000_000)
    if number is not None:
        return (rows[number - 1] if number <= len(rows) else None), []
    wanted = fold(said).strip(" .!\"'")
    if not wanted:
        return None, []
    exact = [r for r in rows if fold(_text_of(kind, r)) == wanted]
    if len(exact) == 1:
        return exact[0], []
    partial = exact or [r for r in rows if wanted in fold(_text_of(kind, r))]
    if len(partial) == 1:
        return partial[0], []
    return None, partial


def _pick_reply(ctx: Context, kind: Kind, rows: Sequence[Any], key: str) -> Reply:
    numbered = list(enumerate(rows, 1))[:BUTTONS_SHOWN]
    buttons = [ctx.choice(_short(f"{n}. {label(ctx, kind, r)}"), f"r{r.id}") for n, r in numbered]
    return reply(ctx.say(key), *buttons, personal=True)


# -- entry ----------------------------------------------------------------------------


async def start(ctx: Context, answer: Answer) -> Outcome:
    word, _, rest = answer.text.strip().partition(" ")
    action = answer.command or "edit"
    if action == "undo":
        return await _undo(ctx, word, rest.strip())
    kind = kind_for(word) if word else None
    if kind is None:
        return done(reply(ctx.say("records.usage")))
    ctx.data = {"kind": kind.name, "action": action}
    rows = await items(ctx, kind)
    if not rows:
        return done(reply(ctx.say("records.empty", command=kind.command)))
    rest = rest.strip()
    if not rest:
        key = "records.pick_edit" if action == "edit" else "records.pick_remove"
        return ask("pick", _pick_reply(ctx, kind, rows, key))
    found, several = await find(ctx, kind, rest)
    if found is None and several:
        return ask("pick", _pick_reply(ctx, kind, several, "records.pick_which"))
    if found is None:
        return done(
            reply(
                ctx.say("records.not_found", what=rest[:60], count=len(rows), command=kind.command)
            )
        )
    return await _chosen(ctx, kind, found)


def _kind(ctx: Context) -> Kind | None:
    return kind_for(str(ctx.data.get("kind", "")))


async def _chosen(ctx: Context, kind: Kind, row: Any) -> Outcome:
    ctx.data["id"] = row.id
    if ctx.data.get("action") == "remove":
        return ask(
            "confirm",
            reply(
                ctx.say("records.confirm_remove", what=_short(label(ctx, kind, row), 120)),
                ctx.choice(ctx.say("records.yes_remove"), "yes"),
                ctx.choice(ctx.say("records.no_keep"), "no"),
                personal=True,
            ),
        )
    offered = _fields(ctx, kind)
    if len(offered) == 1:
        return _ask_value(ctx, kind, offered[0])
    buttons = [ctx.choice(ctx.say(f"records.field_{f}"), f) for f in _fields(ctx, kind)]
    return ask(
        "field",
        reply(
            ctx.say("records.which_field", what=_short(label(ctx, kind, row), 120)),
            *buttons,
            personal=True,
        ),
    )


def _fields(ctx: Context, kind: Kind) -> tuple[str, ...]:
    if kind.name == "mood" and not ctx.user.mood_consent:
        return ("score",)  # notes are kept only with consent
    return kind.fields


async def _row(ctx: Context, kind: Kind) -> Any | None:
    return await records.get(ctx.session, kind.model, ctx.user.id, int(ctx.data.get("id", 0)))


async def pick(ctx: Context, answer: Answer) -> Outcome:
    kind = _kind(ctx)
    if kind is None:
        return not_mine()
    chosen = record_id(answer.choice, "r")
    if chosen is None:
        if answer.text:
            found, several = await find(ctx, kind, answer.text)
            if found is not None:
                return await _chosen(ctx, kind, found)
            if several:
                return ask("pick", _pick_reply(ctx, kind, several, "records.pick_which"))
        return not_mine()
    ctx.data["id"] = chosen
    row = await _row(ctx, kind)
    if row is None:
        return done(reply(ctx.say("engine.stale_button")))
    return await _chosen(ctx, kind, row)


# -- remove ---------------------------------------------------------------------------


async def confirm(ctx: Context, answer: Answer) -> Outcome:
    kind = _kind(ctx)
    said = answer.choice if answer.choice in ("yes", "no") else None
    if said is None and answer.text:
        meant = yes_no(answer.text)
        said = None if meant is None else ("yes" if meant else "no")
    if kind is None or said is None:
        return not_mine()
    row = await _row(ctx, kind)
    if row is None:
        return done(reply(ctx.say("records.gone")))
    if said == "no":
        return done(reply(ctx.say("records.kept")))
    what = _short(label(ctx, kind, row), 120)
    await _delete(ctx, kind, row)
    return done(reply(ctx.say("records.removed", what=what), personal=True))


async def _delete(ctx: Context, kind: Kind, row: Any) -> None:
    if kind.name == "rejection":
        await reopen_for(ctx.session, row, ctx.now)
    await records.delete(ctx.session, row)


# -- edit -----------------------------------------------------------------------------


def _ask_value(ctx: Context, kind: Kind, field: str) -> Outcome:
    ctx.data["field"] = field
    if field == "status":
        buttons = [ctx.choice(ctx.say(f"records.status_{s}"), s) for s in applications.STATUSES]
        return ask("value", reply(ctx.say("records.ask_status"), *buttons))
    if field == "stage":
        buttons = [ctx.choice(ctx.say(f"debrief.stage_{s}"), s) for s in STAGES]
        return ask("value", reply(ctx.say("records.ask_stage"), *buttons))
    if field == "score":
        buttons = [ctx.choice(str(n), str(n)) for n in range(1, 6)]
        return ask("value", reply(ctx.say("records.ask_score"), *buttons))
    example = None
    if field == "target_date":
        example = format_date(ctx.today + timedelta(days=30), year=True)
    return ask("value", reply(ctx.say(f"records.ask_{field}", example=example)))


async def field(ctx: Context, answer: Answer) -> Outcome:
    kind = _kind(ctx)
    if kind is None:
        return not_mine()
    chosen = answer.choice
    if chosen is None and answer.text:
        typed = fold(answer.text)
        chosen = next(
            (f for f in _fields(ctx, kind) if fold(ctx.say(f"records.field_{f}")) == typed), None
        )
    if chosen not in _fields(ctx, kind):
        return not_mine()
    return _ask_value(ctx, kind, chosen)


async def value(ctx: Context, answer: Answer) -> Outcome:
    kind = _kind(ctx)
    name = str(ctx.data.get("field", ""))
    if kind is None or name not in kind.fields:
        return not_mine()
    row = await _row(ctx, kind)
    if row is None:
        return done(reply(ctx.say("records.gone")))
    ok, new = _parse(ctx, name, answer)
    if not ok:
        again = _ask_value(ctx, kind, name)
        return ask("value", reply(ctx.say(f"records.bad_{name}")), *again.replies)
    if name == "status":
        applications.set_status(row, str(new), ctx.now)
    elif name == "text" and kind.name == "strength" and not new:
        return ask("value", reply(ctx.say("records.bad_text")))
    else:
        setattr(row, name, new)
    return done(
        reply(ctx.say("records.saved", what=_short(label(ctx, kind, row), 120)), personal=True)
    )


def _parse(ctx: Context, name: str, answer: Answer) -> tuple[bool, object]:
    """(whether the answer is a value for field ``name``, the value)."""
    typed = answer.text.strip()
    if name == "status":
        chosen = answer.choice or next(
            (
                s
                for s in applications.STATUSES
                if fold(ctx.say(f"records.status_{s}")) == fold(typed)
            ),
            None,
        )
        return chosen in applications.STATUSES, chosen
    if name == "stage":
        chosen = answer.choice or next(
            (s for s in STAGES if fold(ctx.say(f"debrief.stage_{s}")) == fold(typed)), None
        )
        return chosen in STAGES, chosen
    if name == "score":
        score = whole_number(answer.choice or typed, 1, 5)
        return score is not None, score
    if name == "applied_on":
        day, rest = sentences.find_day(typed, ctx.local_now)
        return day is not None and not rest.strip(" .,"), day
    if name == "target_date":
        day = sentences.future_day(typed, ctx.local_now)
        return day is not None, day
    if name in ("company", "role"):
        cleaned = clean(typed)
        if cleaned is None or len(cleaned) > FIELD_LIMIT:
            return False, None
        return True, cleaned
    cleaned = clean(typed)
    limit = SKILL_LIMIT if name == "text" and ctx.data.get("kind") == "skill" else TEXT_LIMIT
    return cleaned is not None and len(cleaned) <= limit, cleaned


# -- undo -----------------------------------------------------------------------------


def undo_button(ctx: Context, kind_name: str, row_id: int) -> Button:
    """The "Undo" button under a record just logged (``/undo KIND ID``)."""
    return ctx.command(ctx.say("records.undo"), f"/undo {kind_name} {row_id}")


def _created(kind: Kind, row: Any) -> datetime | None:
    return getattr(row, "created_at", None)


async def _undo(ctx: Context, word: str, rest: str) -> Outcome:
    kind = kind_for(word) if word else None
    row_id = whole_number(rest, 1, 2**62) if rest else None
    if kind is None or row_id is None:
        return done(reply(ctx.say("records.undo_usage")))
    row = await records.get(ctx.session, kind.model, ctx.user.id, row_id)
    if row is None:
        return done(reply(ctx.say("records.undo_gone")))
    created = _created(kind, row)
    if created is None or ctx.now - created > UNDO_WINDOW:
        return done(reply(ctx.say("records.undo_late", command=kind.command)))
    what = _short(label(ctx, kind, row), 120)
    await _delete(ctx, kind, row)
    return done(reply(ctx.say("records.undone", what=what), personal=True))


def noon(ctx: Context, day: Any) -> datetime:
    """Noon of a local day, as an aware datetime in the person's zone."""
    return datetime.combine(day, time(12), tzinfo=ctx.zone)


def handover(command: str, action: str, rest: str) -> Outcome:
    """``/applied remove 2`` -> run ``/remove applied 2`` (same for edit)."""
    verb = "remove" if action in ("remove", "delete", "del", "rm") else "edit"
    return done(then=f"/{verb} {command} {rest}".rstrip())


EDIT_WORDS = frozenset({"edit", "change", "fix", "correct", "remove", "delete", "del", "rm"})
"""First words after a record's command that hand over to edit or remove."""


DIALOG = Dialog(
    name="records",
    commands=("edit", "remove", "undo"),
    unlisted=("edit", "remove", "undo"),
    steps={"start": start, "pick": pick, "confirm": confirm, "field": field, "value": value},
)
