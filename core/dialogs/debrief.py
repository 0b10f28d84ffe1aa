"""/rejected: the rejection debrief.

Company, role and stage where the person wants to give them, how they feel (logged as
a mood), then a menu of the six steps of CONTENT.md. ``/rejected Acme - Analyst``
fills company and role at once; free text like "turned down by Acme" fills the company.
"""

from __future__ import annotations

from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.intents import company_in
from core.messages import Button
from storage.repositories import moods, rejections

FIELD_LIMIT = 200
SKIP = "skip"
STAGES = ("application", "screening", "technical", "final", "offer")
SIX_STEPS = ("feedback", "reframe", "skills", "targets", "applying", "strengths")


def split_company_role(text: str) -> tuple[str | None, str | None]:
    """``"Acme - Data Analyst"`` -> ("Acme", "Data Analyst"); either part may be absent."""
    for separator in (" - ", " – ", " — ", " / ", ","):
        if separator in text:
            company, _, role = text.partition(separator)
            return company.strip() or None, role.strip() or None
    return text.strip() or None, None


def _skip(ctx: Context) -> Button:
    return ctx.choice(ctx.say("debrief.skip"), SKIP)


async def start(ctx: Context, answer: Answer) -> Outcome:
    company, role = split_company_role(answer.text) if answer.text else (None, None)
    if answer.said and company is None:
        company = company_in(answer.said)
    if (company and len(company) > FIELD_LIMIT) or (role and len(role) > FIELD_LIMIT):
        return done(reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    ctx.data = {"company": company, "role": role}
    opening = reply(ctx.say("debrief.open"))
    if company is None:
        return ask("company", opening, reply(ctx.say("debrief.ask_company"), _skip(ctx)))
    if role is None:
        return ask("role", opening, reply(ctx.say("debrief.ask_role"), _skip(ctx)))
    return ask("stage", opening, _stage_question(ctx))


def _typed_field(answer: Answer) -> str | None:
    if answer.choice == SKIP:
        return None
    return " ".join(answer.text.split()) or None


async def company(ctx: Context, answer: Answer) -> Outcome:
    value = _typed_field(answer)
    if value is None and answer.choice != SKIP:
        return ask("company", reply(ctx.say("debrief.ask_company"), _skip(ctx)))
    if value and len(value) > FIELD_LIMIT:
        return ask("company", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT), _skip(ctx)))
    ctx.data["company"] = value
    return ask("role", reply(ctx.say("debrief.ask_role"), _skip(ctx)))


async def role(ctx: Context, answer: Answer) -> Outcome:
    value = _typed_field(answer)
    if value is None and answer.choice != SKIP:
        return ask("role", reply(ctx.say("debrief.ask_role"), _skip(ctx)))
    if value and len(value) > FIELD_LIMIT:
        return ask("role", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT), _skip(ctx)))
    ctx.data["role"] = value
    return ask("stage", _stage_question(ctx))


def _stage_question(ctx: Context):
    buttons = [ctx.choice(ctx.say(f"debrief.stage_{s}"), s) for s in STAGES]
    return reply(ctx.say("debrief.ask_stage"), *buttons, _skip(ctx))


async def stage(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice in STAGES or answer.choice == SKIP:
        ctx.data["stage"] = None if answer.choice == SKIP else answer.choice
        return ask("feeling", _feeling_question(ctx))
    return ask("stage", _stage_question(ctx))


def _feeling_question(ctx: Context):
    buttons = [ctx.choice(str(n), str(n)) for n in range(1, 6)]
    return reply(ctx.say("debrief.ask_feeling"), *buttons, _skip(ctx))


async def feeling(ctx: Context, answer: Answer) -> Outcome:
    raw = (answer.choice or answer.text).strip()
    if raw == SKIP:
        value = None
    elif raw.isdigit() and 1 <= int(raw) <= 5:
        value = int(raw)
    else:
        return ask("feeling", _feeling_question(ctx))
    record = await rejections.add(
        ctx.session,
        ctx.user.id,
        ctx.now,
        company=ctx.data.get("company"),
        role=ctx.data.get("role"),
        stage=ctx.data.get("stage"),
        feeling=value,
    )
    if value is not None:
        await moods.add(ctx.session, ctx.user.id, value, None, ctx.now)
    ctx.data = {"rejection_id": record.id}
    ack = "debrief.saved_low" if value is not None and value <= 2 else "debrief.saved_high"
    return ask("menu", reply(ctx.say(ack)), menu_reply(ctx))


def menu_reply(ctx: Context):
    buttons = [ctx.choice(ctx.say(f"debrief.step_{s}"), s) for s in SIX_STEPS]
    return reply(ctx.say("debrief.menu"), *buttons, ctx.choice(ctx.say("debrief.finish"), "end"))


async def menu(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "end":
        return done(reply(ctx.say("debrief.goodbye")))
    if answer.choice == "strengths":
        return done(then="/strengths")
    if answer.choice in SIX_STEPS:
        return ask("menu", reply(ctx.say("debrief.coming_soon")), menu_reply(ctx))
    if answer.text:
        return not_mine()
    return ask("menu", menu_reply(ctx))


DIALOG = Dialog(
    name="debrief",
    commands=("rejected",),
    steps={
        "start": start,
        "company": company,
        "role": role,
        "stage": stage,
        "feeling": feeling,
        "menu": menu,
    },
)
