"""/rejected: the rejection debrief.

Company, role and stage where the person wants to give them, how they feel (logged as
a mood; a low score brings up their strengths once a day), then a menu of the six
steps of CONTENT.md. Each step can be taken now, saved for later or skipped; the
choice is kept in ``Rejection.steps``, and ``/rejected`` with steps still saved for
later offers to carry on. ``/rejected Acme - Analyst`` fills company and role at once;
free text like "turned down by Acme" fills the company.

The steps reuse the standalone dialogs' pieces (feedback, skills, targets, applied,
strengths), so a request drafted here is the same as one from ``/feedback``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from core import content
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs import applied, feedback, skills, targets
from core.dialogs.fields import FIELD_LIMIT, clean, company_role, split_company_role, too_long
from core.dialogs.mood import offer_strengths
from core.dialogs.strengths import list_reply
from core.intents import company_in
from core.messages import Button, Reply
from storage.models import Rejection
from storage.repositories import moods, reflections, rejections, strengths

__all__ = ["DIALOG", "SIX_STEPS", "STAGES", "split_company_role"]

SKIP = "skip"
STAGES = ("application", "screening", "technical", "final", "offer")
SIX_STEPS = ("feedback", "reframe", "skills", "targets", "applying", "strengths")
DECISIONS = ("now", "later", "skipped")
RESUME_WITHIN = timedelta(days=30)
TEXT_LIMIT = 500


def _skip(ctx: Context) -> Button:
    return ctx.choice(ctx.say("debrief.skip"), SKIP)


def _typed(answer: Answer) -> str | None:
    return None if answer.choice == SKIP else clean(answer.text)


# -- opening: company, role, stage, feeling --------------------------------------------


async def start(ctx: Context, answer: Answer) -> Outcome:
    company, role = split_company_role(answer.text) if answer.text else (None, None)
    if answer.said and company is None:
        company = company_in(answer.said)
    if too_long(company, role):
        return done(reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    if not answer.text and not answer.said:
        unfinished = await _unfinished(ctx)
        if unfinished is not None:
            return _offer_resume(ctx, unfinished)
    return _open(ctx, company, role)


def _open(ctx: Context, company: str | None, role: str | None) -> Outcome:
    ctx.data = {"company": company, "role": role}
    opening = reply(ctx.say("debrief.open"))
    if company is None:
        return ask("company", opening, reply(ctx.say("debrief.ask_company"), _skip(ctx)))
    if role is None:
        return ask("role", opening, reply(ctx.say("debrief.ask_role"), _skip(ctx)))
    return ask("stage", opening, _stage_question(ctx))


async def _unfinished(ctx: Context) -> Rejection | None:
    """The latest rejection, if recent and with steps saved for later."""
    latest = await rejections.latest(ctx.session, ctx.user.id)
    if latest is None or ctx.now - latest.created_at > RESUME_WITHIN:
        return None
    return latest if "later" in (latest.steps or {}).values() else None


def _name(ctx: Context, rejection: Rejection) -> str:
    return company_role(rejection.company, rejection.role) or ctx.say("debrief.resume_unnamed")


def _offer_resume(ctx: Context, rejection: Rejection) -> Outcome:
    what = _name(ctx, rejection)
    ctx.data = {"rejection_id": rejection.id}
    return ask(
        "resume",
        reply(
            ctx.say("debrief.resume", what=what),
            ctx.choice(ctx.say("debrief.resume_yes", what=what)[:60], "resume"),
            ctx.choice(ctx.say("debrief.resume_new"), "new"),
            personal=True,
        ),
    )


async def resume(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "new":
        return _open(ctx, None, None)
    rejection = await _rejection(ctx)
    if answer.choice != "resume" or rejection is None:
        return not_mine()
    return ask("menu", reply(ctx.say("debrief.welcome_back")), menu_reply(ctx, rejection))


async def company(ctx: Context, answer: Answer) -> Outcome:
    value = _typed(answer)
    if value is None and answer.choice != SKIP:
        return ask("company", reply(ctx.say("debrief.ask_company"), _skip(ctx)))
    if too_long(value):
        return ask("company", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT), _skip(ctx)))
    ctx.data["company"] = value
    return ask("role", reply(ctx.say("debrief.ask_role"), _skip(ctx)))


async def role(ctx: Context, answer: Answer) -> Outcome:
    value = _typed(answer)
    if value is None and answer.choice != SKIP:
        return ask("role", reply(ctx.say("debrief.ask_role"), _skip(ctx)))
    if too_long(value):
        return ask("role", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT), _skip(ctx)))
    ctx.data["role"] = value
    return ask("stage", _stage_question(ctx))


def _stage_question(ctx: Context) -> Reply:
    buttons = [ctx.choice(ctx.say(f"debrief.stage_{s}"), s) for s in STAGES]
    return reply(ctx.say("debrief.ask_stage"), *buttons, _skip(ctx))


async def stage(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice in STAGES or answer.choice == SKIP:
        ctx.data["stage"] = None if answer.choice == SKIP else answer.choice
        return ask("feeling", _feeling_question(ctx))
    if answer.text and not answer.choice:
        typed = answer.text.strip().lower()
        for name in STAGES:
            if typed in (name, ctx.say(f"debrief.stage_{name}").lower()):
                ctx.data["stage"] = name
                return ask("feeling", _feeling_question(ctx))
    return ask("stage", _stage_question(ctx))


def _feeling_question(ctx: Context) -> Reply:
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
    replies = []
    if value is not None:
        await moods.add(ctx.session, ctx.user.id, value, None, ctx.now)
    low = value is not None and value <= 2
    replies.append(reply(ctx.say("debrief.saved_low" if low else "debrief.saved_high")))
    if low:
        replies += await offer_strengths(ctx)
    ctx.data = {"rejection_id": record.id}
    return ask("menu", *replies, menu_reply(ctx, record))


# -- the menu of six steps ---------------------------------------------------------------


def _step_label(ctx: Context, step_name: str, status: str | None) -> str:
    label = ctx.say(f"debrief.step_{step_name}")
    if status in ("done", "later", "skipped"):
        return ctx.say(f"debrief.status_{status}", label=label)
    return label


def menu_reply(ctx: Context, rejection: Rejection, *, again: bool = False) -> Reply:
    taken: Mapping[str, str] = rejection.steps or {}
    buttons = [ctx.choice(_step_label(ctx, s, taken.get(s)), s) for s in SIX_STEPS]
    text = ctx.say("debrief.menu_again" if again else "debrief.menu")
    return reply(text, *buttons, ctx.choice(ctx.say("debrief.finish"), "end"))


async def _rejection(ctx: Context) -> Rejection | None:
    return await rejections.get(ctx.session, ctx.user.id, int(ctx.data.get("rejection_id", 0)))


async def menu(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "end":
        return done(reply(ctx.say("debrief.goodbye")))
    if answer.choice in SIX_STEPS:
        ctx.data["step"] = answer.choice
        return ask(
            "decide",
            reply(
                ctx.say(f"debrief.intro.{answer.choice}"),
                ctx.choice(ctx.say("debrief.now"), "now"),
                ctx.choice(ctx.say("debrief.later"), "later"),
                ctx.choice(ctx.say("debrief.skip_step"), "skipped"),
            ),
        )
    if answer.text:
        return not_mine()
    rejection = await _rejection(ctx)
    return ask("menu", menu_reply(ctx, rejection)) if rejection else not_mine()


async def decide(ctx: Context, answer: Answer) -> Outcome:
    rejection = await _rejection(ctx)
    if rejection is None or answer.choice not in DECISIONS:
        return not_mine()
    if answer.choice == "later":
        return await back_to_menu(ctx, "later", reply(ctx.say("debrief.saved_later")))
    if answer.choice == "skipped":
        return await back_to_menu(ctx, "skipped", reply(ctx.say("debrief.skipped")))
    return await BEGIN[ctx.data["step"]](ctx, rejection)


async def back_to_menu(ctx: Context, status: str, *replies: Reply) -> Outcome:
    """Record ``status`` for the current step, then show the menu again, or close when
    each of the six has been taken or skipped (none left for later)."""
    rejection = await _rejection(ctx)
    if rejection is None:
        return done(*replies)
    rejections.set_step(rejection, ctx.data.pop("step"), status)
    for key in [k for k in ctx.data if k != "rejection_id"]:
        del ctx.data[key]
    taken = rejection.steps or {}
    if all(taken.get(s) in ("done", "skipped") for s in SIX_STEPS):
        return done(*replies, _closing(ctx, taken))
    return ask("menu", *replies, menu_reply(ctx, rejection, again=True))


def _closing(ctx: Context, taken: Mapping[str, str]) -> Reply:
    counts = {s: sum(1 for v in taken.values() if v == s) for s in ("done", "skipped")}
    return reply(ctx.say("debrief.all_done", **counts))


def _question(area: str, rejection: Rejection) -> Mapping[str, Any]:
    """One reflection question for ``area``, the same for the whole of one debrief."""
    questions: Sequence[Mapping[str, Any]] = content.data("reflections")[area]
    return questions[rejection.id % len(questions)]


# -- step 1: feedback ----------------------------------------------------------------


async def _begin_feedback(ctx: Context, rejection: Rejection) -> Outcome:
    return ask("fb_interviewer", reply(ctx.say("debrief.ask.interviewer"), _skip(ctx)))


async def fb_interviewer(ctx: Context, answer: Answer) -> Outcome:
    rejection = await _rejection(ctx)
    if rejection is None:
        return not_mine()
    name = _typed(answer)
    if name is None and answer.choice != SKIP:
        return ask("fb_interviewer", reply(ctx.say("debrief.ask.interviewer"), _skip(ctx)))
    if too_long(name):
        return ask("fb_interviewer", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    rejection.interviewer = name
    drafts = feedback.draft_replies(
        ctx, company=rejection.company, role=rejection.role, interviewer=name
    )
    return ask("fb_remind", *drafts, feedback.remind_question(ctx))


async def fb_remind(ctx: Context, answer: Answer) -> Outcome:
    rejection = await _rejection(ctx)
    if rejection is None or answer.choice not in ("yes", "no"):
        return not_mine() if answer.text else ask("fb_remind", feedback.remind_question(ctx))
    fields = {
        "rejection_id": rejection.id,
        "company": rejection.company,
        "role": rejection.role,
        "interviewer": rejection.interviewer,
    }
    saved = await feedback.save_request(ctx, fields, answer.choice == "yes")
    return await back_to_menu(ctx, "done", saved)


# -- step 2: reframe -----------------------------------------------------------------


def _reframes() -> Mapping[str, Any]:
    return content.data("reframes")


async def _begin_reframe(ctx: Context, rejection: Rejection) -> Outcome:
    return ask("rf_control", reply(_reframes()["control"]["prompt"], _skip(ctx)))


def _outside_question(ctx: Context) -> Reply:
    outside = _reframes()["outside"]
    buttons = [ctx.choice(f["label"], f["id"]) for f in outside["factors"]]
    return reply(outside["prompt"], *buttons, ctx.choice(outside["none_label"], "none"))


async def _save_reflection(ctx: Context, prompt_id: str, text: str) -> None:
    await reflections.add(
        ctx.session,
        ctx.user.id,
        prompt_id,
        text,
        ctx.now,
        rejection_id=ctx.data.get("rejection_id"),
    )


async def rf_control(ctx: Context, answer: Answer) -> Outcome:
    typed = _typed(answer)
    if typed is None and answer.choice != SKIP:
        return ask("rf_control", reply(_reframes()["control"]["prompt"], _skip(ctx)))
    replies = []
    if typed:
        await _save_reflection(ctx, _reframes()["control"]["id"], typed[:TEXT_LIMIT])
        replies.append(reply(_reframes()["control"]["thanks"]))
    return ask("rf_outside", *replies, _outside_question(ctx))


async def rf_outside(ctx: Context, answer: Answer) -> Outcome:
    factors = {f["id"]: f for f in _reframes()["outside"]["factors"]}
    if answer.choice == "none":
        said = _reframes()["none"]["answer"]
    elif answer.choice in factors:
        said = factors[answer.choice]["answer"]
    else:
        return not_mine() if answer.text else ask("rf_outside", _outside_question(ctx))
    takeaway = _reframes()["takeaway"]
    return ask("rf_takeaway", reply(said), reply(takeaway["prompt"], _skip(ctx)))


async def rf_takeaway(ctx: Context, answer: Answer) -> Outcome:
    rejection = await _rejection(ctx)
    if rejection is None:
        return not_mine()
    takeaway = _reframes()["takeaway"]
    typed = _typed(answer)
    if typed is None and answer.choice != SKIP:
        return ask("rf_takeaway", reply(takeaway["prompt"], _skip(ctx)))
    if typed is None:
        return await back_to_menu(ctx, "done", reply(takeaway["skipped"]))
    typed = typed[:TEXT_LIMIT]
    rejection.takeaway = typed
    await _save_reflection(ctx, takeaway["id"], typed)
    return await back_to_menu(
        ctx, "done", reply(takeaway["thanks"].format(text=typed), personal=True)
    )


# -- step 3: skills ------------------------------------------------------------------


async def _begin_skills(ctx: Context, rejection: Rejection) -> Outcome:
    replies = [reply(_question("skills", rejection)["text"])]
    focus = await skills.focus_line(ctx)
    if focus:
        replies.append(reply(focus))
    replies.append(reply(ctx.say("debrief.ask.gap"), ctx.choice(ctx.say("debrief.back"), "back")))
    return ask("sk_gap", *replies)


async def sk_gap(ctx: Context, answer: Answer) -> Outcome:
    rejection = await _rejection(ctx)
    if rejection is None:
        return not_mine()
    if answer.choice == "back":
        return await back_to_menu(ctx, "later")
    typed = clean(answer.text)
    if typed is None:
        return ask("sk_gap", reply(ctx.say("skills.need_text")))
    if len(typed) > skills.TEXT_LIMIT:
        return ask(
            "sk_gap",
            reply(ctx.say("skills.too_long", length=len(typed), limit=skills.TEXT_LIMIT)),
        )
    ctx.data["item_id"] = await skills.add_item(
        ctx, typed, rejection_id=rejection.id, area=rejection.stage
    )
    return ask(
        "sk_date",
        reply(ctx.say("skills.added", text=typed), personal=True),
        skills.date_question(ctx),
    )


async def sk_date(ctx: Context, answer: Answer) -> Outcome:
    said = await skills.apply_date(ctx, int(ctx.data.get("item_id", 0)), answer)
    if said is None:
        return ask("sk_date", reply(ctx.say("skills.date_help")), skills.date_question(ctx))
    return await back_to_menu(ctx, "done", said)


# -- step 4: targets -----------------------------------------------------------------


async def _begin_targets(ctx: Context, rejection: Rejection) -> Outcome:
    return ask(
        "tg_company",
        reply(_question("targets", rejection)["text"]),
        reply(ctx.say("debrief.ask.company"), ctx.choice(ctx.say("debrief.back"), "back")),
    )


async def tg_company(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "back":
        return await back_to_menu(ctx, "later")
    typed = clean(answer.text)
    if typed is None:
        return ask("tg_company", reply(ctx.say("targets.need_company")))
    if too_long(typed):
        return ask("tg_company", reply(ctx.say("targets.too_long", limit=FIELD_LIMIT)))
    target, said = await targets.create(ctx, typed)
    ctx.data["target_id"] = target.id
    return ask("tg_check", said, targets.checklist_reply(ctx, target))


async def tg_check(ctx: Context, answer: Answer) -> Outcome:
    target, redrawn = await targets.tick(ctx, answer)
    if target is None:
        return not_mine()
    if redrawn is not None:
        return ask("tg_check", redrawn)
    return await back_to_menu(ctx, "done", targets.closing(ctx, target))


# -- step 5: keep applying -----------------------------------------------------------


async def _begin_applying(ctx: Context, rejection: Rejection) -> Outcome:
    return ask(
        "ap_log",
        reply(ctx.say("debrief.ask.applying"), ctx.choice(ctx.say("debrief.not_today"), "no")),
    )


async def ap_log(ctx: Context, answer: Answer) -> Outcome:
    rejection = await _rejection(ctx)
    if rejection is None:
        return not_mine()
    question = ctx.say("debrief.thinking_point", question=_question("applying", rejection)["text"])
    if answer.choice == "no":
        return await back_to_menu(ctx, "done", reply(question))
    company_name, role_name = split_company_role(answer.text)
    if company_name is None and role_name is None:
        return ask("ap_log", reply(ctx.say("applied.need_what")))
    if too_long(company_name, role_name):
        return ask("ap_log", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    logged = await applied.log(ctx, company_name, role_name)
    if ctx.user.weekly_goal is None:
        return ask("ap_goal", *logged, applied.goal_question(ctx))
    return await back_to_menu(ctx, "done", *logged, reply(question))


async def ap_goal(ctx: Context, answer: Answer) -> Outcome:
    value = applied.parse_goal(answer.choice or answer.text)
    if value is None:
        return not_mine() if answer.text else ask("ap_goal", applied.goal_question(ctx))
    return await back_to_menu(ctx, "done", applied.set_goal(ctx, value))


# -- step 6: strengths ---------------------------------------------------------------


async def _begin_strengths(ctx: Context, rejection: Rejection) -> Outcome:
    shown = await list_reply(ctx)
    replies = [shown] if shown else [reply(ctx.say("strengths.empty"))]
    replies.append(reply(_question("strengths", rejection)["text"]))
    replies.append(_strength_question(ctx))
    return ask("st_add", *replies)


def _strength_question(ctx: Context) -> Reply:
    return reply(
        ctx.say("debrief.ask.strength"),
        ctx.choice(ctx.say("strengths.ask_friend"), "friend"),
        ctx.choice(ctx.say("debrief.back"), "back"),
    )


async def st_add(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "friend":
        return await back_to_menu(ctx, "done", reply(ctx.say("strengths.friend")))
    if answer.choice == "back":
        return await back_to_menu(ctx, "done")
    typed = clean(answer.text)
    if typed is None:
        return ask("st_add", _strength_question(ctx))
    if len(typed) > TEXT_LIMIT:
        return ask(
            "st_add", reply(ctx.say("strengths.too_long", length=len(typed), limit=TEXT_LIMIT))
        )
    existing = await strengths.list_for(ctx.session, ctx.user.id)
    if any(s.text.casefold() == typed.casefold() for s in existing):
        return await back_to_menu(ctx, "done", reply(ctx.say("strengths.added_again")))
    await strengths.add(ctx.session, ctx.user.id, typed, ctx.now)
    said = reply(ctx.say("strengths.added", text=typed, count=len(existing) + 1), personal=True)
    return await back_to_menu(ctx, "done", said)


BEGIN = {
    "feedback": _begin_feedback,
    "reframe": _begin_reframe,
    "skills": _begin_skills,
    "targets": _begin_targets,
    "applying": _begin_applying,
    "strengths": _begin_strengths,
}

DIALOG = Dialog(
    name="debrief",
    commands=("rejected",),
    steps={
        "start": start,
        "resume": resume,
        "company": company,
        "role": role,
        "stage": stage,
        "feeling": feeling,
        "menu": menu,
        "decide": decide,
        "fb_interviewer": fb_interviewer,
        "fb_remind": fb_remind,
        "rf_control": rf_control,
        "rf_outside": rf_outside,
        "rf_takeaway": rf_takeaway,
        "sk_gap": sk_gap,
        "sk_date": sk_date,
        "tg_company": tg_company,
        "tg_check": tg_check,
        "ap_log": ap_log,
        "ap_goal": ap_goal,
        "st_add": st_add,
    },
)
