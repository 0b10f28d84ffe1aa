"""/skills: a skills plan made of gaps to learn (docs/CONTENT.md idea 3).

``/skills`` shows the plan, ``/skills add TEXT`` adds an item and offers a target date,
``/skills done N`` marks progress (``/skills done`` offers the open items as buttons).
Three rejections at the same stage bring up a suggestion of the area to focus on. The
debrief reuses the pieces for its skills step.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from core import content, limits, progress, sentences
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs import fields, paging
from core.dialogs.fields import record_id, small_int
from core.dialogs.records import EDIT_WORDS, handover, undo_button
from core.messages import Reply
from storage.models import SkillItem
from storage.repositories import rejections, skills

TEXT_LIMIT = 300
ITEMS_LIMIT = 1000
SHOWN_OPEN = 8
_DATE_FORMATS = ("%Y-%m-%d", "%d %b", "%d %B", "%d %b %Y", "%d %B %Y", "%d/%m/%Y")


def parse_target_date(text: str, today: date) -> date | None:
    """``2026-04-30``, ``30 Apr``, ``30 April 2026``, ``30/04/2026`` -> a date not in the past.

    A day and month without a year means the next such day.
    """
    parsed = _parse_date(text, today)
    if parsed is None:  # words: "by christmas", "next friday", "end of march"
        parsed = sentences.future_day(text, datetime.combine(today, time(12)))
    return parsed if parsed is not None and parsed >= today else None


def _parse_date(text: str, today: date) -> date | None:
    """The date typed, past or not (a day and month alone: the next such day)."""
    cleaned = " ".join(text.strip().split())
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        if "%Y" not in fmt:
            parsed = parsed.replace(year=today.year)
            if parsed < today:
                parsed = parsed.replace(year=today.year + 1)
        return parsed
    return None


def format_date(day: date) -> str:
    return fields.format_date(day, year=True)


def date_hint(ctx: Context, answer: Answer) -> str:
    """Why a typed target date was not taken: in the past, or not read as a date."""
    typed = _parse_date(answer.text, ctx.today) if answer.text else None
    if typed is not None and typed < ctx.today:
        return ctx.say("skills.date_past", date=format_date(typed))
    # The example is always ahead: six weeks from today, in the person's own calendar.
    example = fields.format_date(ctx.today + timedelta(weeks=6), year=True, weekday=False)
    return ctx.say("skills.date_help", example=example)


async def plan_reply(ctx: Context, offset: int = 0) -> Reply | None:
    """One page (``limits.PAGE_LINES`` items from ``offset``) of the plan, numbered as
    ``/skills done N`` counts; None when the plan is empty."""
    items = await skills.list_for(ctx.session, ctx.user.id)
    if not items:
        return None
    lines = [ctx.say("skills.heading")]
    page = items[offset : offset + limits.PAGE_LINES]
    for number, item in enumerate(page, offset + 1):
        if item.done_at is not None:
            lines.append(ctx.say("skills.line_done", number=number, text=item.text))
        else:
            due = (
                ctx.say("skills.due", date=format_date(item.target_date))
                if item.target_date
                else ""
            )
            lines.append(ctx.say("skills.line_open", number=number, text=item.text, due=due))
    if len(page) < len(items):
        lines.append(paging.range_line(ctx, offset, len(page), len(items)))
    return reply("\n".join(lines), personal=True)


async def focus_line(ctx: Context) -> str | None:
    """A suggestion when rejections keep coming at the same stage; None otherwise."""
    counts = await rejections.stage_counts(ctx.session, ctx.user.id)
    stage = progress.focus_stage(counts)
    if stage is None:
        return None
    return ctx.say(
        "skills.focus",
        count=counts[stage],
        stage=ctx.say(f"skills.stage_name_{stage}"),
        advice=ctx.say(f"skills.focus_{stage}"),
    )


def date_question(ctx: Context) -> Reply:
    return reply(
        ctx.say("skills.ask_date"),
        ctx.choice(ctx.say("skills.date_2w"), "14"),
        ctx.choice(ctx.say("skills.date_1m"), "30"),
        ctx.choice(ctx.say("skills.date_none"), "none"),
    )


async def full_reply(ctx: Context) -> Reply | None:
    """The answer when the plan already holds ``limits.SKILLS`` items, else None."""
    if await skills.count(ctx.session, ctx.user.id) < limits.SKILLS:
        return None
    return reply(ctx.say("skills.full", limit=limits.SKILLS))


async def add_item(
    ctx: Context, text: str, *, rejection_id: int | None = None, area: str | None = None
) -> int:
    item = await skills.add(
        ctx.session, ctx.user.id, text, ctx.now, area=area, rejection_id=rejection_id
    )
    return item.id


async def apply_date(ctx: Context, item_id: int, answer: Answer) -> Reply | None:
    """Set the target date the answer gives; None when the answer is not a date."""
    item = await skills.get(ctx.session, ctx.user.id, item_id)
    if item is None:
        return reply(ctx.say("skills.date_skipped"))
    if answer.choice == "none":
        return reply(ctx.say("skills.date_skipped"))
    target: date | None
    if answer.choice in ("14", "30"):
        target = ctx.today + timedelta(days=int(answer.choice))
    else:
        target = parse_target_date(answer.text, ctx.today) if answer.text else None
        if target is None:
            return None
    item.target_date = target
    return reply(ctx.say("skills.date_set", date=format_date(target)))


def skill_in(said: str) -> str | None:
    """The skill a sentence names ("I need to work on my SQL" -> "SQL"), or None."""
    lowered = " ".join(said.split()).lower()
    flat = " ".join(said.split())
    for lead in sorted(content.texts("skills.said_leads"), key=len, reverse=True):
        found = re.search(rf"\b{re.escape(lead)}\s+", lowered)
        if found is None:
            continue
        words = flat[found.end() :].strip(" .,;:!?'\"").split()
        while words and words[0].lower() in ("my", "the", "some", "a", "an", "on", "up"):
            words.pop(0)
        text = " ".join(words)
        if text and len(text) <= TEXT_LIMIT:
            return text
    return None


async def start(ctx: Context, answer: Answer) -> Outcome:
    action, _, rest = answer.text.partition(" ")
    action, rest = action.lower(), rest.strip()
    named = skill_in(answer.said) if answer.said and not action else None
    if named is not None:  # "I need to work on my SQL": offer that, not an empty question
        ctx.data = {"offered": named}
        return ask(
            "offer",
            reply(
                ctx.say("skills.offer", text=named),
                ctx.choice(ctx.say("skills.offer_yes"), "yes"),
                ctx.choice(ctx.say("skills.offer_other"), "other"),
                ctx.choice(ctx.say("skills.offer_no"), "no"),
            ),
        )
    if not action:
        return await _show(ctx)
    if action == "add":
        if not rest:
            return ask("text", reply(ctx.say("skills.ask_text")))
        return await _add(ctx, rest)
    if action == "done":
        if not rest:
            return await _pick_done(ctx)
        return await _mark_done(ctx, rest)
    if action in EDIT_WORDS:
        return handover("skills", action, rest)
    return done(reply(ctx.say("skills.usage")))


async def _show(ctx: Context, offset: int = 0) -> Outcome:
    replies = []
    plan = await plan_reply(ctx, offset)
    replies.append(plan if plan else reply(ctx.say("skills.empty")))
    focus = await focus_line(ctx)
    if focus:
        replies.append(reply(focus))
    footer = ctx.say("skills.footer") if plan else ctx.say("skills.ask_text")
    if not plan:
        return ask("text", *replies, reply(footer))
    total = await skills.count(ctx.session, ctx.user.id)
    following = offset + limits.PAGE_LINES
    more = [paging.more_button(ctx, following, total)] if following < total else []
    add = ctx.choice(ctx.say("skills.add_one"), "add")
    return ask("list_action", *replies, reply(footer, *more, add))


async def list_action(ctx: Context, answer: Answer) -> Outcome:
    offset = paging.more_offset(answer.choice, await skills.count(ctx.session, ctx.user.id))
    if offset is not None:
        return await _show(ctx, offset)
    if answer.choice == "add":
        return ask("text", reply(ctx.say("skills.ask_text")))
    return not_mine()


async def _add(ctx: Context, text: str) -> Outcome:
    if len(text) > TEXT_LIMIT:
        return ask("text", reply(ctx.say("skills.too_long", length=len(text), limit=TEXT_LIMIT)))
    full = await full_reply(ctx)
    if full is not None:
        return done(full)
    item_id = await add_item(ctx, text)
    ctx.data = {"item_id": item_id}
    added = reply(
        ctx.say("skills.added", text=text), undo_button(ctx, "skill", item_id), personal=True
    )
    return ask("date", added, date_question(ctx))


async def offer(ctx: Context, answer: Answer) -> Outcome:
    named = str(ctx.data.pop("offered", "") or "")
    if answer.choice == "yes" and named:
        return await _add(ctx, named)
    if answer.choice == "other":
        return ask("text", reply(ctx.say("skills.offer_ask")))
    if answer.choice == "no":
        return done(reply(ctx.say("skills.offer_declined")))
    return not_mine()


async def text(ctx: Context, answer: Answer) -> Outcome:
    typed = " ".join(answer.text.split())
    if not typed:
        return ask("text", reply(ctx.say("skills.need_text")))
    return await _add(ctx, typed)


async def date_step(ctx: Context, answer: Answer) -> Outcome:
    result = await apply_date(ctx, int(ctx.data.get("item_id", 0)), answer)
    if result is None:
        return ask("date", reply(date_hint(ctx, answer)), date_question(ctx))
    return done(result)


async def _pick_done(ctx: Context) -> Outcome:
    """``/skills done`` without a number: the open items as buttons."""
    items = await skills.list_for(ctx.session, ctx.user.id)
    if not items:
        return done(reply(ctx.say("skills.empty")), reply(ctx.say("skills.add_hint")))
    open_items = [(n, item) for n, item in enumerate(items, 1) if item.done_at is None]
    if not open_items:
        return done(reply(ctx.say("skills.all_done")))
    buttons = [
        ctx.choice(ctx.say("skills.pick_line", number=n, text=item.text)[:60], f"i{item.id}")
        for n, item in open_items[:SHOWN_OPEN]
    ]
    return ask("done_pick", reply(ctx.say("skills.pick_done"), *buttons, personal=True))


async def done_pick(ctx: Context, answer: Answer) -> Outcome:
    item_id = record_id(answer.choice, "i")
    item = await skills.get(ctx.session, ctx.user.id, item_id) if item_id is not None else None
    if item is None:
        if answer.text:
            number = small_int(answer.text, 1, ITEMS_LIMIT)
            return await _mark_done(ctx, str(number)) if number else not_mine()
        return not_mine()
    return await _finish(ctx, item)


async def _mark_done(ctx: Context, argument: str) -> Outcome:
    number = small_int(argument, 0, ITEMS_LIMIT)
    if number is None:
        return done(reply(ctx.say("skills.done_usage")))
    item = await skills.by_number(ctx.session, ctx.user.id, number)
    if item is None:
        count = len(await skills.list_for(ctx.session, ctx.user.id))
        return done(reply(ctx.say("skills.done_missing", number=number, count=count)))
    return await _finish(ctx, item)


async def _finish(ctx: Context, item: SkillItem) -> Outcome:
    if item.done_at is not None:
        return done(reply(ctx.say("skills.done_already", text=item.text)))
    item.done_at = ctx.now
    replies = [reply(ctx.say("skills.done_ok", text=item.text), personal=True)]
    plan = await plan_reply(ctx)
    return done(*replies, *([plan] if plan else []))


DIALOG = Dialog(
    name="skills",
    commands=("skills",),
    steps={
        "start": start,
        "offer": offer,
        "list_action": list_action,
        "text": text,
        "date": date_step,
        "done_pick": done_pick,
    },
)
