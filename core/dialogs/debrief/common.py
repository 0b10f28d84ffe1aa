"""Pieces the debrief's modules share: constants, the current rejection, the menu of
six steps and the way back to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core import content
from core.dialog import Answer, Context, Outcome, ask, done, reply
from core.dialogs.fields import clean
from core.messages import Button, Reply
from storage.models import Rejection
from storage.repositories import rejections

SKIP = "skip"
STAGES = ("application", "screening", "technical", "final", "offer")
SIX_STEPS = ("feedback", "reframe", "skills", "targets", "applying", "strengths")
OPENING = "opening"
"""``Rejection.steps`` key holding the opening question still to answer (company,
role, stage or feeling); removed once the feeling is given or skipped."""


def skip_button(ctx: Context) -> Button:
    return ctx.choice(ctx.say("debrief.skip"), SKIP)


def typed(answer: Answer) -> str | None:
    return None if answer.choice == SKIP else clean(answer.text)


async def current(ctx: Context) -> Rejection | None:
    rejection_id = ctx.data.get("rejection_id")
    if not rejection_id:
        return None
    return await rejections.get(ctx.session, ctx.user.id, int(rejection_id))


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


async def back_to_menu(ctx: Context, status: str, *replies: Reply) -> Outcome:
    """Record ``status`` for the current step, then show the menu again, or close when
    each of the six has been taken or skipped (none left for later)."""
    rejection = await current(ctx)
    if rejection is None:
        return done(*replies)
    step_name = ctx.data.pop("step")
    if not (status == "later" and (rejection.steps or {}).get(step_name) == "done"):
        rejections.set_step(rejection, step_name, status)
    for key in [k for k in ctx.data if k != "rejection_id"]:
        del ctx.data[key]
    taken = rejection.steps or {}
    if all(taken.get(s) in ("done", "skipped") for s in SIX_STEPS):
        counts = {s: sum(1 for v in taken.values() if v == s) for s in ("done", "skipped")}
        return done(*replies, reply(ctx.say("debrief.all_done", **counts)))
    return ask("menu", *replies, menu_reply(ctx, rejection, again=True))


def question(area: str, rejection: Rejection) -> Mapping[str, Any]:
    """One reflection question for ``area``, the same for the whole of one debrief."""
    questions: Sequence[Mapping[str, Any]] = content.data("reflections")[area]
    return questions[rejection.id % len(questions)]
