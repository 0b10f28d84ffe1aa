"""/targets: companies worth applying to, each with a fit checklist (docs/CONTENT.md idea 4).

``/targets`` lists them (press one to see its checklist), ``/targets add COMPANY``
adds one and shows its checklist at once; ``/targets COMPANY`` asks whether to add it.
The full checklist is shown once; each tick then gets a one-line answer ("✓ The role —
3 of 8") with the items still open as buttons, and ticking the last one closes it.
Ticking toggles; the state is kept in ``Target.checklist``. The debrief reuses the
pieces for its targets step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from core import content, limits
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs import paging
from core.dialogs.fields import record_id
from core.dialogs.records import EDIT_WORDS, handover, undo_button
from core.messages import Reply
from storage.models import Target
from storage.repositories import targets

NAME_LIMIT = 200
SHOWN_TARGETS = 8


def checklist_items() -> Sequence[Mapping[str, Any]]:
    """The fit checklist's items (core/content, ``fit_checklist``), in order."""
    items: Sequence[Mapping[str, Any]] = content.data("fit_checklist")["items"]
    return items


def ticked_count(target: Target) -> int:
    ids = {item["id"] for item in checklist_items()}
    return sum(1 for key, value in (target.checklist or {}).items() if value and key in ids)


def checklist_reply(ctx: Context, target: Target) -> Reply:
    ticked = target.checklist or {}
    lines = [ctx.say("targets.checklist_heading", company=target.company)]
    buttons = []
    for item in checklist_items():
        mark = ctx.say("targets.mark_done" if ticked.get(item["id"]) else "targets.mark_open")
        lines.append(ctx.say("targets.item_line", mark=mark, text=item["text"]))
        buttons.append(
            ctx.choice(ctx.say("targets.button", mark=mark, label=item["label"]), item["id"])
        )
    buttons.append(ctx.choice(ctx.say("targets.finish"), "end"))
    return reply("\n".join(lines), *buttons, personal=True)


async def create(ctx: Context, company: str) -> tuple[Target | None, Reply]:
    """Add the company (or find it, if already listed) and say which happened; no target
    and the reason when the list already holds ``limits.TARGETS``."""
    existing = await targets.find(ctx.session, ctx.user.id, company)
    if existing is not None:
        return existing, reply(ctx.say("targets.exists", company=existing.company), personal=True)
    if await targets.count(ctx.session, ctx.user.id) >= limits.TARGETS:
        return None, reply(ctx.say("targets.full", limit=limits.TARGETS))
    target = await targets.add(ctx.session, ctx.user.id, company, ctx.now)
    return target, reply(ctx.say("targets.added", company=company), personal=True)


def _remaining_reply(ctx: Context, target: Target, item: Mapping[str, Any], ticked: bool) -> Reply:
    """One line for the press just made, with every item as a button in its place."""
    mark = ctx.say("targets.mark_done" if ticked else "targets.mark_open")
    line = ctx.say(
        "targets.ticked_line",
        mark=mark,
        label=item["label"],
        ticked=ticked_count(target),
        total=len(checklist_items()),
    )
    done_ids = target.checklist or {}
    # Every item keeps its place (and so its number): typing the numbers read from the
    # first list ticks the same items; a ticked one pressed again is unticked.
    buttons = [
        ctx.choice(
            ctx.say(
                "targets.button",
                mark=ctx.say("targets.mark_done" if done_ids.get(i["id"]) else "targets.mark_open"),
                label=i["label"],
            ),
            i["id"],
        )
        for i in checklist_items()
    ]
    buttons.append(ctx.choice(ctx.say("targets.finish"), "end"))
    return reply(line, *buttons, personal=True)


async def tick(ctx: Context, answer: Answer) -> tuple[Target | None, Reply | None]:
    """Handle one press on a checklist: (target, a one-line answer with the open items),
    or (target, None) when the person is finished or every item is ticked; (None, None)
    when the press is not for the checklist."""
    target = await targets.get(ctx.session, ctx.user.id, int(ctx.data.get("target_id", 0)))
    if target is None:
        return None, None
    if answer.choice == "end":
        return target, None
    items = {item["id"]: item for item in checklist_items()}
    choice = answer.choice
    if choice is None or choice not in items:
        return None, None
    ticked = targets.toggle(target, choice)
    if ticked_count(target) == len(items):
        return target, None
    return target, _remaining_reply(ctx, target, items[choice], ticked)


def closing(ctx: Context, target: Target) -> Reply:
    total, ticked = len(checklist_items()), ticked_count(target)
    if ticked == total:
        return reply(ctx.say("targets.all_ticked", company=target.company))
    return reply(ctx.say("targets.progress", ticked=ticked, total=total))


def clean_company(text: str) -> str:
    return " ".join(text.split())


async def start(ctx: Context, answer: Answer) -> Outcome:
    action, _, rest = answer.text.partition(" ")
    if not action:
        return await _show(ctx)
    if action.lower() == "add":
        if not rest.strip():
            return ask("company", reply(ctx.say("targets.ask_company")))
        return await _add(ctx, clean_company(rest))
    if action.lower() in EDIT_WORDS:
        return handover("targets", action.lower(), rest.strip())
    return await _confirm_add(ctx, clean_company(answer.text))


async def _confirm_add(ctx: Context, company: str) -> Outcome:
    """``/targets Globex``: open it if listed, otherwise ask before adding."""
    if len(company) > NAME_LIMIT:
        return done(reply(ctx.say("targets.too_long", limit=NAME_LIMIT)))
    existing = await targets.find(ctx.session, ctx.user.id, company)
    if existing is not None:
        ctx.data = {"target_id": existing.id}
        return ask("checklist", checklist_reply(ctx, existing))
    ctx.data = {"company": company}
    return ask(
        "confirm",
        reply(
            ctx.say("targets.confirm_add", company=company),
            ctx.choice(ctx.say("targets.confirm_yes", company=company)[:60], "yes"),
            ctx.choice(ctx.say("targets.confirm_no"), "no"),
            personal=True,
        ),
    )


async def confirm(ctx: Context, answer: Answer) -> Outcome:
    company_name = ctx.data.get("company")
    if answer.choice == "yes" and company_name:
        return await _add(ctx, company_name)
    if answer.choice == "no":
        return done(reply(ctx.say("targets.usage")))
    return not_mine()


async def _show(ctx: Context, offset: int = 0) -> Outcome:
    listed = await targets.list_for(ctx.session, ctx.user.id)
    if not listed:
        return ask(
            "company",
            reply(ctx.say("targets.intro")),
            reply(ctx.say("targets.empty")),
            reply(ctx.say("targets.ask_company")),
        )
    total = len(checklist_items())
    lines = [ctx.say("targets.heading")]
    buttons = []
    page = listed[offset : offset + limits.PAGE_LINES]
    for number, target in enumerate(page, offset + 1):
        lines.append(
            ctx.say(
                "targets.line",
                number=number,
                company=target.company,
                ticked=ticked_count(target),
                total=total,
            )
        )
        if number - offset <= SHOWN_TARGETS:
            buttons.append(
                ctx.choice(ctx.say("targets.open_one", company=target.company), f"t{target.id}")
            )
    if len(page) < len(listed):
        lines.append(paging.range_line(ctx, offset, len(page), len(listed)))
    if offset + len(page) < len(listed):
        buttons.append(paging.more_button(ctx, offset + len(page), len(listed)))
    buttons.append(ctx.choice(ctx.say("targets.add_one"), "add"))
    return ask("list_action", reply("\n".join(lines), *buttons, personal=True))


async def list_action(ctx: Context, answer: Answer) -> Outcome:
    offset = paging.more_offset(answer.choice, await targets.count(ctx.session, ctx.user.id))
    if offset is not None:
        return await _show(ctx, offset)
    if answer.choice == "add":
        return ask("company", reply(ctx.say("targets.ask_company")))
    target_id = record_id(answer.choice, "t")
    if target_id is not None:
        target = await targets.get(ctx.session, ctx.user.id, target_id)
        if target is not None:
            ctx.data = {"target_id": target.id}
            return ask("checklist", checklist_reply(ctx, target))
    return not_mine()


async def _add(ctx: Context, company: str) -> Outcome:
    if len(company) > NAME_LIMIT:
        return ask("company", reply(ctx.say("targets.too_long", limit=NAME_LIMIT)))
    target, said = await create(ctx, company)
    if target is None:
        return done(said)
    ctx.data = {"target_id": target.id}
    said = replace(said, buttons=(*said.buttons, undo_button(ctx, "target", target.id)))
    return ask("checklist", said, checklist_reply(ctx, target))


async def company(ctx: Context, answer: Answer) -> Outcome:
    typed = clean_company(answer.text)
    if not typed:
        return ask("company", reply(ctx.say("targets.need_company")))
    return await _add(ctx, typed)


async def checklist(ctx: Context, answer: Answer) -> Outcome:
    target, redrawn = await tick(ctx, answer)
    if target is None:
        return not_mine()
    if redrawn is None:
        return done(closing(ctx, target))
    return ask("checklist", redrawn)


DIALOG = Dialog(
    name="targets",
    commands=("targets",),
    steps={
        "start": start,
        "list_action": list_action,
        "company": company,
        "checklist": checklist,
        "confirm": confirm,
    },
)
