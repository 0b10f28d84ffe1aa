"""/feedback: a ready-to-send feedback request and a follow-up (docs/CONTENT.md idea 1).

``/feedback Acme`` drafts at once (role and interviewer from a matching rejection, if
any). ``/feedback`` offers the latest rejection, another company, or asks about
requests still waiting for an answer ("Heard back from Acme?": a clear answer, a vague
one, nothing yet, or let it go). After a draft the person may ask for a reminder: the
first check-in after 7 days without an answer mentions it once
(``storage.repositories.feedback.take_reminders``). Reminders need check-ins; when
they are off, the reply says so and offers to turn them on. The debrief reuses the
pieces.
"""

from __future__ import annotations

from typing import Any

from core import content
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import record_id
from core.greeting import greeting_name
from core.messages import Reply
from storage.models import Rejection
from storage.repositories import feedback, rejections, schedules

FIELD_LIMIT = 200
SHOWN_WAITING = 3


def _fragment(name: str, **values: object) -> str:
    return str(content.data("feedback_templates")["fragments"][name]).format(**values)


STAGES = ("application", "screening", "technical", "final", "offer")


def fill_template(
    kind: str,
    *,
    company: str | None,
    role: str | None,
    interviewer: str | None,
    stage: str | None = None,
) -> str:
    """The ``request`` or ``follow_up`` template, reading well with any field missing:
    the greeting from the name as typed (``core.greeting``; neutral when unsure), the
    thanks and the questions fitting the ``stage`` the rejection came at (one of
    ``STAGES``; None or anything else: the neutral wording)."""
    if company and role:
        position = _fragment("position_full", company=company, role=role)
    elif role:
        position = _fragment("position_role", role=role)
    elif company:
        position = _fragment("position_company", company=company)
    else:
        position = _fragment("position_plain")
    name = greeting_name(interviewer)
    words = content.data("feedback_templates")["stages"][stage if stage in STAGES else "unknown"]
    values = {
        "position": position,
        "greeting": _fragment("greeting_named", interviewer=name)
        if name
        else _fragment("greeting_plain"),
        "follow_greeting": _fragment("follow_greeting_named", interviewer=name)
        if name
        else _fragment("follow_greeting_plain"),
        "future": _fragment("future_company", company=company)
        if company
        else _fragment("future_plain"),
        "thanks": words["thanks"],
        "ask": words["ask"],
        "follow_ask": str(words["follow_ask"]).format(position=position),
    }
    body = str(content.data("feedback_templates")[kind]["body"]).strip("\n")
    return body.format(**values)


def draft_replies(
    ctx: Context,
    *,
    company: str | None,
    role: str | None,
    interviewer: str | None,
    stage: str | None = None,
) -> list[Reply]:
    """The request and the follow-up for these fields, each as a message to copy."""
    fields = {"company": company, "role": role, "interviewer": interviewer, "stage": stage}
    return [
        reply(ctx.say("feedback.draft_heading")),
        reply(fill_template("request", **fields), personal=True),
        reply(ctx.say("feedback.follow_up_heading")),
        reply(fill_template("follow_up", **fields), personal=True),
    ]


def remind_question(ctx: Context) -> Reply:
    return reply(
        ctx.say("feedback.ask_remind"),
        ctx.choice(ctx.say("feedback.remind_yes"), "yes"),
        ctx.choice(ctx.say("feedback.remind_no"), "no"),
    )


def yes_or_no(answer: Answer) -> str | None:
    """``yes`` or ``no`` from a button, or from a typed "yes please" / "no thanks"."""
    if answer.choice in ("yes", "no"):
        return answer.choice
    typed = " ".join(answer.text.lower().strip(" .!").split())
    for value in ("yes", "no"):
        if typed in content.texts(f"feedback.typed_{value}"):
            return value
    return None


async def _checkins_on(ctx: Context) -> bool:
    schedule = await schedules.get(ctx.session, ctx.user.id, "checkin")
    return schedule is not None and bool(schedule.enabled)


async def save_request(ctx: Context, fields: dict[str, Any], remind: bool) -> Reply:
    """Record the request; with a reminder it counts as sent and the check-in follows up
    (or, with check-ins off, the reply says so and offers to turn them on)."""
    await feedback.add(
        ctx.session,
        ctx.user.id,
        ctx.now,
        rejection_id=fields.get("rejection_id"),
        company=fields.get("company"),
        role=fields.get("role"),
        interviewer=fields.get("interviewer"),
        remind=remind,
        status="sent" if remind else "drafted",
    )
    if not remind:
        return reply(ctx.say("feedback.saved_no_remind"))
    if not await _checkins_on(ctx):
        return reply(
            ctx.say("feedback.saved_remind_no_checkins"),
            ctx.command(ctx.say("feedback.turn_checkins_on"), "/checkins"),
        )
    return reply(ctx.say("feedback.saved_remind"))


def _fields_from(rejection: Rejection | None, company: str | None) -> dict[str, Any]:
    if rejection is None:
        return {"company": company, "role": None, "interviewer": None, "rejection_id": None}
    return {
        "company": rejection.company or company,
        "role": rejection.role,
        "interviewer": rejection.interviewer,
        "rejection_id": rejection.id,
        "stage": rejection.stage,
    }


async def _matching_rejection(ctx: Context, company: str) -> Rejection | None:
    for rejection in reversed(await rejections.list_for(ctx.session, ctx.user.id)):
        if rejection.company and rejection.company.casefold() == company.casefold():
            return rejection
    return None


def _draft(ctx: Context, fields: dict[str, Any]) -> Outcome:
    ctx.data = dict(fields)
    return ask("remind", *draft_replies(ctx, **_shown(fields)), remind_question(ctx))


def _shown(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields.get(k) for k in ("company", "role", "interviewer", "stage")}


async def start(ctx: Context, answer: Answer) -> Outcome:
    company = " ".join(answer.text.split())
    if company:
        if len(company) > FIELD_LIMIT:
            return done(reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
        return _draft(ctx, _fields_from(await _matching_rejection(ctx, company), company))
    buttons = []
    for request in (await feedback.waiting(ctx.session, ctx.user.id))[:SHOWN_WAITING]:
        name = request.company or ctx.say("feedback.someone")
        buttons.append(ctx.choice(ctx.say("feedback.pick_waiting", company=name), f"w{request.id}"))
    latest = await rejections.latest(ctx.session, ctx.user.id)
    if latest is not None:
        label = (
            ctx.say("feedback.pick_rejection", company=latest.company)
            if latest.company
            else ctx.say("feedback.pick_rejection_unnamed")
        )
        buttons.append(ctx.choice(label, f"r{latest.id}"))
    if not buttons:
        return ask(
            "company", reply(ctx.say("feedback.intro")), reply(ctx.say("feedback.ask_company"))
        )
    buttons.append(ctx.choice(ctx.say("feedback.pick_other"), "new"))
    return ask(
        "pick",
        reply(ctx.say("feedback.intro")),
        reply(ctx.say("feedback.pick"), *buttons, personal=True),
    )


async def pick(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "new":
        return ask("company", reply(ctx.say("feedback.ask_company")))
    rejection_id = record_id(answer.choice, "r")
    if rejection_id is not None:
        rejection = await rejections.get(ctx.session, ctx.user.id, rejection_id)
        if rejection is not None:
            return _draft(ctx, _fields_from(rejection, None))
    request_id = record_id(answer.choice, "w")
    if request_id is not None:
        request = await feedback.get(ctx.session, ctx.user.id, request_id)
        if request is not None:
            ctx.data = {"request_id": request.id}
            return ask("heard", _heard_question(ctx, request.company))
    return not_mine()


def _heard_question(ctx: Context, company: str | None) -> Reply:
    name = company or ctx.say("feedback.someone")
    return reply(
        ctx.say("feedback.ask_heard", company=name),
        ctx.choice(ctx.say("feedback.heard_clear"), "answered"),
        ctx.choice(ctx.say("feedback.heard_vague"), "vague"),
        ctx.choice(ctx.say("feedback.heard_nothing"), "waiting"),
        ctx.choice(ctx.say("feedback.heard_drop"), "dropped"),
        personal=True,
    )


async def company(ctx: Context, answer: Answer) -> Outcome:
    name = " ".join(answer.text.split())
    if not name:
        return ask("company", reply(ctx.say("feedback.ask_company")))
    if len(name) > FIELD_LIMIT:
        return ask("company", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    return _draft(ctx, _fields_from(await _matching_rejection(ctx, name), name))


async def remind(ctx: Context, answer: Answer) -> Outcome:
    said = yes_or_no(answer)
    if said is None:
        return not_mine() if answer.text else ask("remind", remind_question(ctx))
    return done(await save_request(ctx, ctx.data, said == "yes"))


async def heard(ctx: Context, answer: Answer) -> Outcome:
    request = await feedback.get(ctx.session, ctx.user.id, int(ctx.data.get("request_id", 0)))
    if request is None or answer.choice not in ("answered", "vague", "waiting", "dropped"):
        return not_mine()
    if answer.choice == "waiting":
        return done(reply(ctx.say("feedback.not_yet")))
    feedback.set_status(request, answer.choice, ctx.now)
    if answer.choice == "vague":
        fields = {
            "company": request.company,
            "role": request.role,
            "interviewer": request.interviewer,
            "stage": await _stage_of(ctx, request.rejection_id),
        }
        return done(
            reply(ctx.say("feedback.vague")),
            reply(fill_template("follow_up", **fields), personal=True),
        )
    return done(reply(ctx.say(f"feedback.{answer.choice}")))


async def _stage_of(ctx: Context, rejection_id: int | None) -> str | None:
    rejection = (
        await rejections.get(ctx.session, ctx.user.id, rejection_id) if rejection_id else None
    )
    return rejection.stage if rejection is not None else None


DIALOG = Dialog(
    name="feedback",
    commands=("feedback",),
    steps={
        "start": start,
        "pick": pick,
        "company": company,
        "remind": remind,
        "heard": heard,
    },
)
