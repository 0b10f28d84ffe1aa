"""The debrief's menu and its six steps (docs/CONTENT.md ideas 1 to 6), reusing the
standalone dialogs' pieces (feedback, skills, targets, applied, strengths).

A step begun ("now") counts as saved for later until it is finished, so a person who
leaves half way is offered it again by ``/rejected``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core import content
from core.dialog import Answer, Context, Outcome, ask, done, not_mine, reply
from core.dialogs import applied, feedback, skills, targets
from core.dialogs.checks import CONFIRM_NO, CONFIRM_YES, confirm_strength, feeling_instead
from core.dialogs.debrief.common import (
    SIX_STEPS,
    SKIP,
    back_to_menu,
    current,
    menu_reply,
    question,
    skip_button,
    typed,
)
from core.dialogs.fields import FIELD_LIMIT, clean, too_long
from core.dialogs.strengths import list_reply
from core.messages import Reply
from storage.models import Rejection
from storage.repositories import reflections, rejections, strengths

DECISIONS = ("now", "later", "skipped")
TEXT_LIMIT = 500


# -- the menu of six steps ---------------------------------------------------------------


async def menu(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "end":
        return done(reply(await ctx.vary("debrief.goodbye")))
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
    rejection = await current(ctx)
    return ask("menu", menu_reply(ctx, rejection)) if rejection else not_mine()


async def decide(ctx: Context, answer: Answer) -> Outcome:
    rejection = await current(ctx)
    if rejection is None or answer.choice not in DECISIONS:
        return not_mine()
    if answer.choice == "later":
        return await back_to_menu(ctx, "later", reply(ctx.say("debrief.saved_later")))
    if answer.choice == "skipped":
        return await back_to_menu(ctx, "skipped", reply(ctx.say("debrief.skipped")))
    step_name = ctx.data["step"]
    if (rejection.steps or {}).get(step_name) != "done":
        rejections.set_step(rejection, step_name, "later")  # until it is finished
    return await BEGIN[step_name](ctx, rejection)


# -- step 1: feedback ----------------------------------------------------------------


async def _begin_feedback(ctx: Context, rejection: Rejection) -> Outcome:
    return ask("fb_interviewer", reply(ctx.say("debrief.ask.interviewer"), skip_button(ctx)))


async def fb_interviewer(ctx: Context, answer: Answer) -> Outcome:
    rejection = await current(ctx)
    if rejection is None:
        return not_mine()
    name = typed(answer)
    if name is None and answer.choice != SKIP:
        return ask("fb_interviewer", reply(ctx.say("debrief.ask.interviewer"), skip_button(ctx)))
    if too_long(name):
        return ask("fb_interviewer", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    rejection.interviewer = name
    drafts = feedback.draft_replies(
        ctx,
        company=rejection.company,
        role=rejection.role,
        interviewer=name,
        stage=rejection.stage,
    )
    return ask("fb_remind", *drafts, feedback.remind_question(ctx))


async def fb_remind(ctx: Context, answer: Answer) -> Outcome:
    rejection = await current(ctx)
    said = feedback.yes_or_no(answer)
    if rejection is None or said is None:
        return not_mine() if answer.text else ask("fb_remind", feedback.remind_question(ctx))
    fields = {
        "rejection_id": rejection.id,
        "company": rejection.company,
        "role": rejection.role,
        "interviewer": rejection.interviewer,
    }
    saved = await feedback.save_request(ctx, fields, said == "yes")
    return await back_to_menu(ctx, "done", saved)


# -- step 2: reframe -----------------------------------------------------------------


def _reframes() -> Mapping[str, Any]:
    return content.data("reframes")


async def _begin_reframe(ctx: Context, rejection: Rejection) -> Outcome:
    return ask("rf_control", reply(_reframes()["control"]["prompt"], skip_button(ctx)))


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
    said = typed(answer)
    if said is None and answer.choice != SKIP:
        return ask("rf_control", reply(_reframes()["control"]["prompt"], skip_button(ctx)))
    replies = []
    if said:
        await _save_reflection(ctx, _reframes()["control"]["id"], said[:TEXT_LIMIT])
        replies.append(reply(_reframes()["control"]["thanks"]))
    return ask("rf_outside", *replies, _outside_question(ctx))


async def rf_outside(ctx: Context, answer: Answer) -> Outcome:
    outside = _reframes()["outside"]
    factors = {f["id"]: f for f in outside["factors"]}
    said_typed = clean(answer.text) if not answer.choice else None
    if answer.choice == "none":
        said = _reframes()["none"]["answer"]
    elif answer.choice in factors:
        said = factors[answer.choice]["answer"]
    elif said_typed:
        # A typed answer in their own words is the natural one here: keep it.
        await _save_reflection(ctx, outside["id"], said_typed[:TEXT_LIMIT])
        said = outside["typed_thanks"]
    else:
        return ask("rf_outside", _outside_question(ctx))
    takeaway = _reframes()["takeaway"]
    return ask("rf_takeaway", reply(said), reply(takeaway["prompt"], skip_button(ctx)))


async def rf_takeaway(ctx: Context, answer: Answer) -> Outcome:
    rejection = await current(ctx)
    if rejection is None:
        return not_mine()
    takeaway = _reframes()["takeaway"]
    said = typed(answer)
    if said is None and answer.choice != SKIP:
        return ask("rf_takeaway", reply(takeaway["prompt"], skip_button(ctx)))
    if said is None:
        return await back_to_menu(ctx, "done", reply(takeaway["skipped"]))
    said = said[:TEXT_LIMIT]
    rejection.takeaway = said
    await _save_reflection(ctx, takeaway["id"], said)
    return await back_to_menu(
        ctx, "done", reply(takeaway["thanks"].format(text=said), personal=True)
    )


# -- step 3: skills ------------------------------------------------------------------


async def _begin_skills(ctx: Context, rejection: Rejection) -> Outcome:
    replies = [reply(question("skills", rejection)["text"])]
    focus = await skills.focus_line(ctx)
    if focus:
        replies.append(reply(focus))
    replies.append(reply(ctx.say("debrief.ask.gap"), ctx.choice(ctx.say("debrief.back"), "back")))
    return ask("sk_gap", *replies)


async def sk_gap(ctx: Context, answer: Answer) -> Outcome:
    rejection = await current(ctx)
    if rejection is None:
        return not_mine()
    if answer.choice == "back":
        return await back_to_menu(ctx, "later")
    said = clean(answer.text)
    if said is None:
        return ask("sk_gap", reply(ctx.say("skills.need_text")))
    acknowledgement = await feeling_instead(ctx, said)
    if acknowledgement is not None:
        return ask("sk_gap", acknowledgement, reply(ctx.say("debrief.ask.gap_again")))
    if len(said) > skills.TEXT_LIMIT:
        return ask(
            "sk_gap",
            reply(ctx.say("skills.too_long", length=len(said), limit=skills.TEXT_LIMIT)),
        )
    full = await skills.full_reply(ctx)
    if full is not None:
        return await back_to_menu(ctx, "later", full)
    ctx.data["item_id"] = await skills.add_item(
        ctx, said, rejection_id=rejection.id, area=rejection.stage
    )
    return ask(
        "sk_date",
        reply(ctx.say("skills.added", text=said), personal=True),
        skills.date_question(ctx),
    )


async def sk_date(ctx: Context, answer: Answer) -> Outcome:
    said = await skills.apply_date(ctx, int(ctx.data.get("item_id", 0)), answer)
    if said is None:
        return ask("sk_date", reply(skills.date_hint(ctx, answer)), skills.date_question(ctx))
    return await back_to_menu(ctx, "done", said)


# -- step 4: targets -----------------------------------------------------------------


async def _begin_targets(ctx: Context, rejection: Rejection) -> Outcome:
    return ask(
        "tg_company",
        reply(question("targets", rejection)["text"]),
        reply(ctx.say("debrief.ask.company"), ctx.choice(ctx.say("debrief.back"), "back")),
    )


async def tg_company(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "back":
        return await back_to_menu(ctx, "later")
    said = clean(answer.text)
    if said is None:
        return ask("tg_company", reply(ctx.say("targets.need_company")))
    acknowledgement = await feeling_instead(ctx, said)
    if acknowledgement is not None:
        return ask("tg_company", acknowledgement, reply(ctx.say("debrief.ask.company_again")))
    if too_long(said):
        return ask("tg_company", reply(ctx.say("targets.too_long", limit=FIELD_LIMIT)))
    target, added = await targets.create(ctx, said)
    if target is None:
        return await back_to_menu(ctx, "later", added)
    ctx.data["target_id"] = target.id
    return ask("tg_check", added, targets.checklist_reply(ctx, target))


async def tg_check(ctx: Context, answer: Answer) -> Outcome:
    target, line = await targets.tick(ctx, answer)
    if target is None:
        return not_mine()
    if line is not None:
        return ask("tg_check", line)
    # "Done for now" with nothing ticked is not done: it stays saved for later.
    status = "done" if targets.ticked_count(target) else "later"
    return await back_to_menu(ctx, status, targets.closing(ctx, target))


# -- step 5: keep applying -----------------------------------------------------------


async def _begin_applying(ctx: Context, rejection: Rejection) -> Outcome:
    return ask(
        "ap_log",
        reply(ctx.say("debrief.ask.applying"), ctx.choice(ctx.say("debrief.not_today"), "no")),
    )


async def ap_log(ctx: Context, answer: Answer) -> Outcome:
    rejection = await current(ctx)
    if rejection is None:
        return not_mine()
    thought = ctx.say("debrief.thinking_point", question=question("applying", rejection)["text"])
    if answer.choice == "no":
        return await back_to_menu(ctx, "done", reply(thought))
    acknowledgement = await feeling_instead(ctx, answer.text)
    if acknowledgement is not None:  # venting is not an application
        return ask("ap_log", acknowledgement, reply(ctx.say("debrief.ask.applying_again")))
    company_name, role_name = applied.parse_what(answer.text)
    if company_name is None and role_name is None:
        return ask("ap_log", reply(ctx.say("applied.need_what")))
    if too_long(company_name, role_name):
        return ask("ap_log", reply(ctx.say("debrief.too_long", limit=FIELD_LIMIT)))
    logged = await applied.log(ctx, company_name, role_name)
    if applied.goal_unasked(ctx):
        return ask("ap_goal", *logged, applied.goal_question(ctx))
    return await back_to_menu(ctx, "done", *logged, reply(thought))


async def ap_goal(ctx: Context, answer: Answer) -> Outcome:
    value = applied.parse_goal(answer.choice or answer.text)
    if value is None:
        return not_mine() if answer.text else ask("ap_goal", applied.goal_question(ctx))
    return await back_to_menu(ctx, "done", applied.set_goal(ctx, value))


# -- step 6: strengths ---------------------------------------------------------------


async def _begin_strengths(ctx: Context, rejection: Rejection) -> Outcome:
    shown = await list_reply(ctx)
    prompt = reply(question("strengths", rejection)["text"])
    if shown is None:
        # Nothing listed yet: no "one more", and no question left without an answer.
        return ask(
            "st_add",
            reply(ctx.say("debrief.strengths_none")),
            prompt,
            _strength_question(ctx, first=True),
        )
    return ask("st_add", shown, prompt, _strength_question(ctx))


def _strength_question(ctx: Context, *, first: bool = False) -> Reply:
    return reply(
        ctx.say("debrief.ask.first_strength" if first else "debrief.ask.strength"),
        ctx.choice(ctx.say("strengths.ask_friend"), "friend"),
        ctx.choice(ctx.say("debrief.back"), "back"),
    )


async def st_add(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "friend":
        return await back_to_menu(ctx, "done", reply(ctx.say("strengths.friend")))
    if answer.choice == "back":
        return await back_to_menu(ctx, "later")
    said = clean(answer.text)
    if said is None:
        return ask("st_add", _strength_question(ctx))
    acknowledgement = await feeling_instead(ctx, said)
    if acknowledgement is not None:  # a feeling, not a strength: never saved as one
        note = reply(ctx.say("debrief.not_a_strength"))
        return ask("st_add", acknowledgement, note, _strength_question(ctx))
    if len(said) > TEXT_LIMIT:
        return ask(
            "st_add", reply(ctx.say("strengths.too_long", length=len(said), limit=TEXT_LIMIT))
        )
    doubt = confirm_strength(ctx, said)
    if doubt is not None:
        return ask("st_confirm", doubt)
    return await _save_strength(ctx, said)


async def st_confirm(ctx: Context, answer: Answer) -> Outcome:
    pending = str(ctx.data.pop("pending_strength", "") or "")
    if answer.choice == CONFIRM_YES and pending:
        return await _save_strength(ctx, pending)
    if answer.choice == CONFIRM_NO:
        return ask("st_add", reply(ctx.say("strengths.confirm_dropped")), _strength_question(ctx))
    return not_mine()


async def _save_strength(ctx: Context, said: str) -> Outcome:
    existing = await strengths.list_for(ctx.session, ctx.user.id)
    if any(s.text.casefold() == said.casefold() for s in existing):
        return await back_to_menu(ctx, "done", reply(ctx.say("strengths.added_again")))
    await strengths.add(ctx.session, ctx.user.id, said, ctx.now)
    saved = reply(ctx.say("strengths.added", text=said, count=len(existing) + 1), personal=True)
    return await back_to_menu(ctx, "done", saved)


BEGIN = {
    "feedback": _begin_feedback,
    "reframe": _begin_reframe,
    "skills": _begin_skills,
    "targets": _begin_targets,
    "applying": _begin_applying,
    "strengths": _begin_strengths,
}
