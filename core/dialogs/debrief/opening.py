"""The debrief's opening: company, role, stage and feeling, each skippable; and the
offer to carry on with an unfinished debrief.

The ``Rejection`` row is written as soon as something is known and updated with each
answer; ``Rejection.steps[OPENING]`` names the question still open, so ``/rejected``
can carry on from there.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from core import content, pipeline, sentences
from core.dialog import Answer, Context, Outcome, ask, done, not_mine, reply
from core.dialogs.checks import feeling_instead
from core.dialogs.debrief.common import (
    OPENING,
    SIX_STEPS,
    SKIP,
    STAGES,
    current,
    menu_reply,
    skip_button,
    typed,
)
from core.dialogs.fields import (
    FIELD_LIMIT,
    company_role,
    format_date,
    has_separator,
    small_int,
    split_company_role,
    too_long,
)
from core.dialogs.mood import offer_strengths
from core.dialogs.records import EDIT_WORDS, handover, undo_button
from core.intents import company_in
from core.messages import Reply
from storage.models import Application, Rejection
from storage.repositories import applications, moods, rejections

RESUME_WITHIN = timedelta(days=30)
WEEK = timedelta(days=7)
QUESTIONS = ("company", "role", "stage", "feeling")


async def start(ctx: Context, answer: Answer) -> Outcome:
    action, _, rest = answer.text.strip().partition(" ")
    if action.lower() in EDIT_WORDS:
        return handover("rejected", action.lower(), rest.strip())
    typed = answer.said or answer.text
    said = _read(ctx, typed) if typed and not has_separator(typed) else None
    if said is not None:
        company_name, role_name, stage_name, day = said.company, said.role, said.stage, said.day
    else:
        company_name, role_name = split_company_role(answer.text) if answer.text else (None, None)
        stage_name, day = None, None
    if answer.said and company_name is None:
        company_name = company_in(answer.said)
    if too_long(company_name, role_name):
        return done(reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    if not answer.text and not answer.said:
        unfinished = await _unfinished(ctx)
        if unfinished is not None:
            return _offer_resume(ctx, unfinished)
    return await _open(ctx, company_name, role_name, stage_name, day)


def _read(ctx: Context, text: str) -> sentences.Said | None:
    """A sentence about the rejection ("turned down by Acme for the analyst role after
    the final round yesterday"); None when the text is not one (``Acme - Analyst``)."""
    said = sentences.read(text, ctx.local_now)
    return said if said.kind == "rejected" else None


async def _open(
    ctx: Context,
    company_name: str | None,
    role_name: str | None,
    stage_name: str | None = None,
    day: date | None = None,
) -> Outcome:
    ctx.data = {}
    opening = reply(await _opening(ctx))
    rejection = None
    marked = await pipeline.marked_rejected(ctx.session, ctx.user.id, ctx.now)
    if company_name is not None or role_name is not None or stage_name or marked is not None:
        rejection = await rejections.add(
            ctx.session,
            ctx.user.id,
            ctx.now,
            company=company_name,
            role=role_name,
            stage=stage_name,
        )
        if day is not None and day < ctx.today:  # "turned down by Acme yesterday"
            rejection.happened_on = day
        ctx.data["rejection_id"] = rejection.id
    if rejection is not None:
        if marked is not None and (
            company_name is None or pipeline.same_name(marked.company, company_name)
        ):
            pipeline.close_with(rejection, marked, ctx.now)
        else:
            several = await _link(ctx, rejection)
            if several:
                return _ask_which(ctx, several, opening)
    return _first_question(ctx, rejection, opening)


async def _link(ctx: Context, rejection: Rejection) -> list[Application]:
    """Close the one open application this rejection is about; the candidates when
    there are several (the person picks); [] when there are none or it is linked."""
    if rejection.application_id is not None:
        return []
    found = await pipeline.matching(ctx.session, ctx.user.id, rejection.company, rejection.role)
    if len(found) == 1:
        pipeline.close_with(rejection, found[0], ctx.now)
        return []
    return found


def _first_question(ctx: Context, rejection: Rejection | None, *before: Reply) -> Outcome:
    if rejection is None:
        remaining = list(QUESTIONS)
    else:
        remaining = _remaining("company", rejection.company, rejection.role, rejection.stage)
        rejections.set_step(rejection, OPENING, remaining[0])
    ctx.data["ask"] = remaining
    return ask(remaining[0], *before, _question(ctx, remaining[0]))


async def _opening(ctx: Context) -> str:
    """The opening line; a second or later rejection within ``WEEK`` is named as such."""
    earlier = len(await rejections.since(ctx.session, ctx.user.id, ctx.now - WEEK))
    if earlier == 0:
        return await ctx.vary("debrief.open")
    if earlier == 1:
        return await ctx.vary("debrief.open_second")
    ordinals = content.texts("debrief.ordinals")
    ordinal = ordinals[earlier - 2] if earlier - 2 < len(ordinals) else None
    return await ctx.vary("debrief.open_many", ordinal=ordinal or ctx.say("debrief.ordinal_more"))


def _ask_which(ctx: Context, found: list[Application], *before: Reply) -> Outcome:
    buttons = [
        ctx.choice(
            f"{company_role(a.company, a.role)} · {format_date(a.applied_on, weekday=False)}"[:60],
            f"a{a.id}",
        )
        for a in found[:8]
    ]
    buttons.append(ctx.choice(ctx.say("debrief.link_none"), "none"))
    return ask("link", *before, reply(ctx.say("debrief.ask_link"), *buttons, personal=True))


async def link(ctx: Context, answer: Answer) -> Outcome:
    """Which of several open applications the rejection is about."""
    rejection = await current(ctx)
    if rejection is None:
        return not_mine()
    chosen = answer.choice or ""
    if chosen.startswith("a") and chosen[1:].isdigit():
        found = await applications.get(ctx.session, ctx.user.id, int(chosen[1:]))
        if found is not None:
            pipeline.close_with(rejection, found, ctx.now)
    elif chosen != "none":
        return not_mine()
    return _first_question(ctx, rejection)


def _remaining(
    first: str, company_name: str | None, role_name: str | None, stage_name: str | None = None
) -> list[str]:
    """The opening questions from ``first`` on; company, role and stage only when unknown."""
    known = {
        "company": company_name is not None,
        "role": role_name is not None,
        "stage": stage_name is not None,
    }
    return [q for q in QUESTIONS[QUESTIONS.index(first) :] if not known.get(q, False)]


def _question(ctx: Context, name: str) -> Reply:
    if name == "stage":
        return _stage_question(ctx)
    if name == "feeling":
        return _feeling_question(ctx)
    return reply(ctx.say(f"debrief.ask_{name}"), skip_button(ctx))


async def _save(ctx: Context, **fields: object) -> Rejection:
    """Write the answer to the rejection (created at the first answer) and note which
    opening question comes next."""
    rejection = await current(ctx)
    if rejection is None:
        rejection = await rejections.add(ctx.session, ctx.user.id, ctx.now)
        ctx.data["rejection_id"] = rejection.id
    for name, value in fields.items():
        setattr(rejection, name, value)
    return rejection


async def _advance(ctx: Context, rejection: Rejection, *before: Reply) -> Outcome:
    remaining = list(ctx.data.get("ask") or QUESTIONS)[1:] or ["feeling"]
    ctx.data["ask"] = remaining
    rejections.set_step(rejection, OPENING, remaining[0])
    return ask(remaining[0], *before, _question(ctx, remaining[0]))


# -- carrying on -------------------------------------------------------------------------


async def _unfinished(ctx: Context) -> Rejection | None:
    """The latest rejection, if recent and left in the opening questions or with steps
    still open: saved for later (a step begun and left counts as saved for later) or
    not yet chosen when the person left the menu ("/rejected brings them back")."""
    latest = await rejections.latest(ctx.session, ctx.user.id)
    if latest is None or ctx.now - latest.created_at > RESUME_WITHIN:
        return None
    taken = latest.steps or {}
    if OPENING in taken or any(taken.get(s) in (None, "later") for s in SIX_STEPS):
        return latest
    return None


def _offer_resume(ctx: Context, rejection: Rejection) -> Outcome:
    what = company_role(rejection.company, rejection.role) or ctx.say("debrief.resume_unnamed")
    ctx.data = {"rejection_id": rejection.id}
    taken = rejection.steps or {}
    if OPENING in taken:
        key = "debrief.resume_opening"
    elif any(taken.get(s) == "later" for s in SIX_STEPS):
        key = "debrief.resume"
    else:
        key = "debrief.resume_open"
    return ask(
        "resume",
        reply(
            ctx.say(key, what=what),
            ctx.choice(ctx.say("debrief.resume_yes", what=what)[:60], "resume"),
            ctx.choice(ctx.say("debrief.resume_new"), "new"),
            personal=True,
        ),
    )


async def resume(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "new":
        return await _open(ctx, None, None)
    rejection = await current(ctx)
    if answer.choice != "resume" or rejection is None:
        return not_mine()
    left_at = (rejection.steps or {}).get(OPENING)
    if left_at in QUESTIONS:
        ctx.data["ask"] = _remaining(left_at, rejection.company, rejection.role)
        return ask(left_at, reply(ctx.say("debrief.welcome_back_opening")), _question(ctx, left_at))
    return ask("menu", reply(ctx.say("debrief.welcome_back")), menu_reply(ctx, rejection))


# -- company, role, stage, feeling --------------------------------------------------------


async def _field(ctx: Context, answer: Answer, name: str) -> Outcome:
    value = typed(answer)
    if value is None and answer.choice != SKIP:
        return ask(name, _question(ctx, name))
    acknowledgement = await feeling_instead(ctx, value) if value else None
    if acknowledgement is not None:  # a feeling is not a company or a role
        return ask(name, acknowledgement, _question(ctx, name))
    if too_long(value):
        return ask(name, reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT), skip_button(ctx)))
    rejection = await _save(ctx, **{name: value})
    if name == "company" and value is not None:
        several = await _link(ctx, rejection)
        if several:
            return _ask_which(ctx, several)
        if rejection.role is not None:  # the application named it
            ctx.data["ask"] = [q for q in ctx.data.get("ask") or QUESTIONS if q != "role"]
    return await _advance(ctx, rejection)


async def company(ctx: Context, answer: Answer) -> Outcome:
    return await _field(ctx, answer, "company")


async def role(ctx: Context, answer: Answer) -> Outcome:
    return await _field(ctx, answer, "role")


def _stage_question(ctx: Context) -> Reply:
    buttons = [ctx.choice(ctx.say(f"debrief.stage_{s}"), s) for s in STAGES]
    return reply(ctx.say("debrief.ask_stage"), *buttons, skip_button(ctx))


def typed_stage(ctx: Context, text: str) -> str | None:
    """The stage a typed answer names ("the technical interview" -> technical)."""
    lowered = " ".join(text.lower().split())
    for name in STAGES:
        words = [
            ctx.say(f"debrief.stage_{name}").lower(),
            *content.texts(f"debrief.stage_words.{name}"),
        ]
        if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words):
            return name
    return None


async def stage(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice in STAGES or answer.choice == SKIP:
        value = None if answer.choice == SKIP else answer.choice
    elif answer.text and not answer.choice:
        value = typed_stage(ctx, answer.text)
        if value is None:
            return ask("stage", reply(ctx.say("debrief.stage_hint")), _stage_question(ctx))
    else:
        return ask("stage", _stage_question(ctx))
    return await _advance(ctx, await _save(ctx, stage=value))


def _feeling_question(ctx: Context) -> Reply:
    buttons = [ctx.choice(str(n), str(n)) for n in range(1, 6)]
    return reply(ctx.say("debrief.ask_feeling"), *buttons, skip_button(ctx))


async def feeling(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == SKIP:
        value = None
    else:
        value = small_int(answer.choice or answer.text, 1, 5)
        if value is None:
            return ask("feeling", reply(ctx.say("debrief.feeling_hint")), _feeling_question(ctx))
    record = await _save(ctx, feeling=value)
    record.steps = {k: v for k, v in (record.steps or {}).items() if k != OPENING}
    replies = []
    if value is not None:
        await moods.add(ctx.session, ctx.user.id, value, None, ctx.now)
    low = value is not None and value <= 2
    key = (
        "debrief.saved_skipped"
        if value is None
        else "debrief.saved_low"
        if low
        else "debrief.saved_high"
    )
    replies.append(reply(ctx.say(key), undo_button(ctx, "rejection", record.id)))
    if low:
        replies += await offer_strengths(ctx)
    ctx.data = {"rejection_id": record.id}
    return ask("menu", *replies, menu_reply(ctx, record))
