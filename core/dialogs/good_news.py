"""Good news typed in free text (an offer, an interview, a next round, a call back):
celebrate it, update the matching application, and before an interview offer a short
preparation sheet built from the person's own record; with check-ins on, a good-luck
note on the day and "how did it go?" the day after (``core/outbox.py``, kind
``interview``).

Started by the intent ``good_news`` through the hidden command ``/goodnews`` (not in
/help: it is reached by saying so). The words live in ``content/text/good_news.toml``;
how the news and its day are read, in ``content/good_news.toml``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from core import content, safety
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import company_role, format_date
from core.intents import company_in
from core.messages import Reply
from core.recurrence import WEEKDAYS
from storage.models import Application, Interview
from storage.repositories import applications, rejections, schedules, skills, strengths

SHOWN_APPLICATIONS = 5
PREP_ITEMS = 3
INTERVIEW_KINDS = frozenset({"interview", "next_round"})
NEW_STATUS = {"offer": "offer", "interview": "interview", "next_round": "interview"}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@cache
def _patterns() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    raw = content.data("good_news")
    return tuple(
        (kind, tuple(re.compile(p) for p in raw["patterns"][kind])) for kind in raw["order"]
    )


def kind_of(text: str) -> str:
    """``offer``, ``next_round``, ``interview``, ``callback`` or ``news`` (none named)."""
    normal = safety.normalise(text)
    for kind, patterns in _patterns():
        if any(p.search(normal) for p in patterns):
            return kind
    return "news"


def day_named(text: str, today: date) -> date | None:
    """The day ``text`` names (today, tomorrow, a weekday: its next date from ``today``,
    today's own weekday meaning today), in the person's local calendar; None if none."""
    normal = safety.normalise(text)
    days = content.data("good_news")["days"]
    if any(re.search(rf"\b{re.escape(w)}\b", normal) for w in days["today"]):
        return today
    if any(re.search(rf"\b{re.escape(w)}\b", normal) for w in days["tomorrow"]):
        return today + timedelta(days=1)
    for index, (full, short) in enumerate(zip(_WEEKDAY_NAMES, WEEKDAYS, strict=True)):
        if re.search(rf"\b({full}|{short})\b", normal):
            return today + timedelta(days=(index - today.weekday()) % 7)
    return None


def _company(said: str, today: date) -> str | None:
    """The company the news names ("an offer from Acme"), not a time or a day ("an
    interview at 10", "with Thursday's panel")."""
    found = company_in(said)
    if found is None or found[0].isdigit() or day_named(found, today) is not None:
        return None
    return found


async def start(ctx: Context, answer: Answer) -> Outcome:
    said = answer.said or answer.text
    kind = kind_of(said)
    ctx.data = {"kind": kind, "company": _company(said, ctx.today)}
    day = day_named(said, ctx.today)
    if day is not None:
        ctx.data["day"] = day.isoformat()
    celebration = reply(await ctx.vary(f"good_news.celebrate.{kind}"))
    if kind not in NEW_STATUS:
        return done(celebration)
    return await _match(ctx, [celebration])


async def _match(ctx: Context, before: list[Reply]) -> Outcome:
    """Update the application the news is about: the one named, or ask which."""
    company = ctx.data.get("company")
    open_ones = list(await applications.open_ones(ctx.session, ctx.user.id))
    if company:
        named = [a for a in open_ones if (a.company or "").casefold() == company.casefold()]
        if len(named) == 1:
            return await _next(ctx, [*before, _update(ctx, named[0])])
        if not named:
            note = reply(ctx.say("good_news.not_found", company=company))
            return await _next(ctx, [*before, note])
        open_ones = named
    if not open_ones:
        return await _next(ctx, before)
    buttons = [ctx.choice(_label(a), str(a.id)) for a in open_ones[:SHOWN_APPLICATIONS]]
    question = reply(
        ctx.say("good_news.which"),
        *buttons,
        ctx.choice(ctx.say("good_news.which_none"), "none"),
        personal=True,
    )
    return ask("which", *before, question)


def _label(application: Application) -> str:
    text = company_role(application.company, application.role) or format_date(
        application.applied_on
    )
    return text if len(text) <= 40 else text[:39].rstrip() + "…"


def _update(ctx: Context, application: Application) -> Reply:
    status = NEW_STATUS[ctx.data["kind"]]
    applications.set_status(application, status, ctx.now)
    ctx.data["application_id"] = application.id
    what = company_role(application.company, application.role) or ctx.say("good_news.unnamed")
    return reply(ctx.say(f"good_news.updated_{status}", what=what), personal=True)


async def which(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "none":
        return await _next(ctx, [])
    chosen = applications_id(answer.choice)
    application = (
        await applications.get(ctx.session, ctx.user.id, chosen) if chosen is not None else None
    )
    if application is None:
        return not_mine()
    return await _next(ctx, [_update(ctx, application)])


def applications_id(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) < 19 else None


async def _next(ctx: Context, before: list[Reply]) -> Outcome:
    if ctx.data.get("kind") == "offer":
        return done(*before, reply(ctx.say("good_news.offer_next")))
    question = reply(
        ctx.say("good_news.ask_prep"),
        ctx.choice(ctx.say("good_news.prep_yes"), "yes"),
        ctx.choice(ctx.say("good_news.prep_no"), "no"),
    )
    return ask("prep", *before, question)


async def prep(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "yes":
        sheet = await prep_sheet(ctx)
    elif answer.choice == "no":
        listed = await strengths.list_for(ctx.session, ctx.user.id)
        sheet = reply(
            ctx.say("good_news.prep_skipped" if listed else "good_news.prep_skipped_empty")
        )
    else:
        return not_mine()
    return await _when(ctx, sheet)


async def prep_sheet(ctx: Context) -> Reply:
    """A short sheet from the person's own record: strengths, the skills plan, and
    what they kept from past debriefs (newest first, up to ``PREP_ITEMS`` of each)."""
    listed = [s.text for s in await strengths.list_for(ctx.session, ctx.user.id)]
    plan = [i.text for i in await skills.list_for(ctx.session, ctx.user.id) if i.done_at is None]
    kept = [
        r.takeaway
        for r in reversed(await rejections.list_for(ctx.session, ctx.user.id))
        if r.takeaway
    ]
    sections = [
        ("good_news.prep_strengths", listed[-PREP_ITEMS:]),
        ("good_news.prep_skills", plan[-PREP_ITEMS:]),
        ("good_news.prep_kept", kept[:PREP_ITEMS]),
    ]
    lines = [ctx.say("good_news.prep_heading")]
    for key, items in sections:
        if items:
            lines += ["", ctx.say(key), *(f"• {item}" for item in items)]
    if len(lines) == 1:
        lines = [ctx.say("good_news.prep_empty")]
        lines += [f"• {q}" for q in content.texts("good_news.prep_questions")]
    lines += ["", ctx.say("good_news.prep_footer")]
    return reply("\n".join(lines), personal=True)


async def _checkins_on(ctx: Context) -> bool:
    schedule = await schedules.get(ctx.session, ctx.user.id, "checkin")
    return schedule is not None and bool(schedule.enabled)


def _when_question(ctx: Context) -> Reply:
    return reply(
        ctx.say("good_news.ask_when"),
        ctx.choice(ctx.say("good_news.when_today"), "today"),
        ctx.choice(ctx.say("good_news.when_tomorrow"), "tomorrow"),
        ctx.choice(ctx.say("good_news.when_unsure"), "unsure"),
    )


async def _when(ctx: Context, before: Reply) -> Outcome:
    if not await _checkins_on(ctx):
        await _save_interview(ctx, _stored_day(ctx))
        return done(before, reply(ctx.say("good_news.noted_no_checkins")))
    day = _stored_day(ctx)
    if day is not None:
        return done(before, await _noted(ctx, day))
    return ask("when", before, _when_question(ctx))


def _stored_day(ctx: Context) -> date | None:
    value = ctx.data.get("day")
    return date.fromisoformat(value) if value else None


async def when(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "unsure":
        await _save_interview(ctx, None)
        return done(reply(ctx.say("good_news.when_unknown")))
    day: date | None
    if answer.choice in ("today", "tomorrow"):
        day = ctx.today + timedelta(days=0 if answer.choice == "today" else 1)
    else:
        day = day_named(answer.text, ctx.today) if answer.text else None
        if day is None:
            if answer.text and len(answer.text.split()) > 4:
                return not_mine()
            return ask("when", reply(ctx.say("good_news.when_hint")), _when_question(ctx))
    return done(await _noted(ctx, day))


async def _noted(ctx: Context, day: date) -> Reply:
    interview = await _save_interview(ctx, day)
    if day == ctx.today:
        interview.wished_at = ctx.now  # wished here and now: no second note today
        return reply(ctx.say("good_news.noted_today"))
    return reply(ctx.say("good_news.noted", day=format_date(day)))


async def _save_interview(ctx: Context, day: date | None) -> Interview:
    application_id = ctx.data.get("application_id")
    application = (
        await applications.get(ctx.session, ctx.user.id, int(application_id))
        if application_id
        else None
    )
    interview = Interview(
        user_id=ctx.user.id,
        application_id=application.id if application else None,
        company=application.company if application else ctx.data.get("company"),
        role=application.role if application else None,
        held_on=day,
        created_at=ctx.now,
    )
    ctx.session.add(interview)
    await ctx.session.flush()
    return interview


DIALOG = Dialog(
    name="good_news",
    commands=("goodnews",),
    unlisted=("goodnews",),
    steps={"start": start, "which": which, "prep": prep, "when": when},
)
