"""/strengths: recall, add and remove the person's strengths (docs/CONTENT.md idea 6).

``/strengths`` shows the list (or offers to find some when it is empty),
``/strengths add TEXT`` and ``/strengths remove N`` act at once, and the guided part
helps name a professional or a personal strength.
"""

from __future__ import annotations

from core import content, limits
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs import paging
from core.dialogs.checks import CONFIRM_NO, CONFIRM_YES, confirm_strength, feeling_instead
from core.dialogs.fields import small_int
from core.dialogs.records import EDIT_WORDS, handover, undo_button
from core.intents import Intent, topic
from core.messages import Button, Reply
from storage.repositories import invites, strengths

TEXT_LIMIT = 500


async def list_reply(ctx: Context, offset: int = 0, total: int | None = None) -> Reply | None:
    """One page (``limits.PAGE_LINES``) of the person's numbered list from ``offset``, as
    one personal reply, with a "Showing 1-20 of N" line when there is more; None when the
    list is empty. ``total``: the list's length, when the caller has counted it."""
    if total is None:
        total = await strengths.count(ctx.session, ctx.user.id)
    items = await strengths.page(ctx.session, ctx.user.id, offset, limits.PAGE_LINES)
    if not items:
        return None
    friends = await invites.signers(ctx.session, [s.id for s in items if s.source == "friend"])
    from_friends = any(s.source == "friend" for s in items)
    lines = [ctx.say("strengths.heading_with_friends" if from_friends else "strengths.heading")]
    for number, item in enumerate(items, offset + 1):
        if item.source == "friend":
            who = friends.get(item.id) or ctx.say("friends.a_friend")
            lines.append(ctx.say("strengths.line_friend", number=number, text=item.text, who=who))
        else:
            lines.append(ctx.say("strengths.line", number=number, text=item.text))
    if total > len(items):
        lines.append(paging.range_line(ctx, offset, len(items), total))
    return reply("\n".join(lines), personal=True)


def _find_buttons(ctx: Context) -> tuple[Button, ...]:
    return (
        ctx.choice(ctx.say("strengths.kind_professional"), "professional"),
        ctx.choice(ctx.say("strengths.kind_personal"), "personal"),
    )


async def start(ctx: Context, answer: Answer) -> Outcome:
    action, _, rest = answer.text.partition(" ")
    action = action.lower()
    if not action:
        return await _show(ctx)
    if action == "add":
        if not rest.strip():
            return ask("text", reply(ctx.say("strengths.ask_text")))
        return await _add(ctx, rest.strip(), then_more=False)
    if action in ("remove", "delete", "del", "rm"):
        return await _remove(ctx, rest.strip())
    if action in EDIT_WORDS:
        return handover("strengths", action, rest.strip())
    return done(reply(ctx.say("strengths.usage")))


async def _show(ctx: Context, offset: int = 0) -> Outcome:
    total = await strengths.count(ctx.session, ctx.user.id)
    shown = await list_reply(ctx, offset, total)
    if shown is None:
        return ask(
            "kind",
            reply(ctx.say("strengths.empty")),
            reply(ctx.say("strengths.ask_kind"), *_find_buttons(ctx)),
        )
    following = offset + limits.PAGE_LINES
    more = [paging.more_button(ctx, following, total)] if following < total else []
    footer = reply(
        ctx.say("strengths.list_footer"),
        *more,
        ctx.choice(ctx.say("strengths.add_one"), "add"),
        ctx.choice(ctx.say("strengths.find_some"), "find"),
        ctx.choice(ctx.say("strengths.ask_friend"), "friend"),
    )
    return ask("list_action", shown, footer)


async def list_action(ctx: Context, answer: Answer) -> Outcome:
    total = await strengths.count(ctx.session, ctx.user.id)
    offset = paging.more_offset(answer.choice, total)
    if offset is not None:
        return await _show(ctx, offset)
    if answer.choice == "add":
        return ask("text", reply(ctx.say("strengths.ask_text")))
    if answer.choice == "find":
        return ask("kind", reply(ctx.say("strengths.ask_kind"), *_find_buttons(ctx)))
    if answer.choice == "friend":
        return done(then="/invite")
    return not_mine()


async def _add(ctx: Context, text: str, *, then_more: bool, kind: str | None = None) -> Outcome:
    if len(text) > TEXT_LIMIT:
        key = "strengths.too_long"
        warning = reply(ctx.say(key, length=len(text), limit=TEXT_LIMIT))
        return ask("text", warning) if then_more else done(warning)
    existing = await strengths.texts(ctx.session, ctx.user.id)
    if len(existing) >= limits.STRENGTHS:
        full = reply(ctx.say("strengths.full", limit=limits.STRENGTHS))
        return done(full)
    if any(saved.casefold() == text.casefold() for saved in existing):
        saved = reply(ctx.say("strengths.added_again"))
    else:
        new_id = await strengths.add(ctx.session, ctx.user.id, text, ctx.now, kind=kind)
        saved = reply(
            ctx.say("strengths.added", text=text, count=len(existing) + 1),
            undo_button(ctx, "strength", new_id),
            personal=True,
        )
    if not then_more:
        return done(saved)
    return ask(
        "more",
        saved,
        reply(
            ctx.say("strengths.more"),
            ctx.choice(ctx.say("strengths.add_another"), "again"),
            ctx.choice(ctx.say("strengths.ask_friend"), "friend"),
            ctx.choice(ctx.say("strengths.enough"), "enough"),
        ),
    )


async def _remove(ctx: Context, argument: str) -> Outcome:
    if not argument:
        return await _pick_to_remove(ctx)
    number = small_int(argument, 0, 999_999)
    if number is None and argument.lstrip("-+").isdigit():
        return done(reply(ctx.say("strengths.remove_usage")))
    if number is None:  # removal by the strength's own words
        return handover("strengths", "remove", argument)
    removed = await strengths.remove_number(ctx.session, ctx.user.id, number)
    if removed is None:
        count = await strengths.count(ctx.session, ctx.user.id)
        return done(reply(ctx.say("strengths.remove_missing", number=number, count=count)))
    return done(reply(ctx.say("strengths.removed", text=removed.text), personal=True))


async def _pick_to_remove(ctx: Context, offset: int = 0) -> Outcome:
    """The list as buttons, ``limits.PAGE_BUTTONS`` at a time, with "More"."""
    total = await strengths.count(ctx.session, ctx.user.id)
    items = await strengths.page(ctx.session, ctx.user.id, offset, limits.PAGE_BUTTONS)
    if not items:
        return done(reply(ctx.say("strengths.remove_empty")))
    buttons = [
        ctx.choice(_short(f"{n}. {item.text}"), str(item.id))
        for n, item in enumerate(items, offset + 1)
    ]
    following = offset + len(items)
    if following < total:
        buttons.append(paging.more_button(ctx, following, total))
    question = reply(ctx.say("strengths.remove_pick"), *buttons, personal=True)
    return ask("remove_pick", question)


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


async def remove_pick(ctx: Context, answer: Answer) -> Outcome:
    offset = paging.more_offset(answer.choice, await strengths.count(ctx.session, ctx.user.id))
    if offset is not None:
        return await _pick_to_remove(ctx, offset)
    chosen = small_int(answer.choice or "", 1, 2**62)
    if chosen is None:
        return not_mine()
    removed = await strengths.remove_id(ctx.session, ctx.user.id, chosen)
    if removed is None:
        return done(reply(ctx.say("engine.stale_button")))
    return done(reply(ctx.say("strengths.removed", text=removed.text), personal=True))


def _typed_strength(answer: Answer) -> str | None:
    """Typed words that read as a strength rather than as something new to talk about
    (not "no" or "not now": those decline the question)."""
    text = answer.text.strip()
    if _declined(answer):
        return None
    return text if text and topic(text) in (Intent.UNKNOWN, Intent.STRENGTHS) else None


def _declined(answer: Answer) -> bool:
    """A typed skip word ("no", "not now", "later"): the person lets the question go."""
    said = " ".join(answer.text.casefold().strip(" .!").split())
    return bool(said) and said in content.texts("engine.skip_words")


async def kind(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice in ("professional", "personal"):
        ctx.data["kind"] = answer.choice
        return ask("text", reply(ctx.say(f"strengths.ask_{answer.choice}")))
    if _declined(answer):
        return done(reply(ctx.say("strengths.not_now")))
    if answer.text:
        checked = await _checked(ctx, answer.text.strip())
        if checked is not None:
            return checked
    typed = _typed_strength(answer)
    if typed is not None:  # answered with the strength itself: keep it
        return await _add(ctx, typed, then_more=True)
    return not_mine()


async def text(ctx: Context, answer: Answer) -> Outcome:
    typed = answer.text.strip()
    if not typed:
        return ask("text", reply(ctx.say("strengths.need_text")))
    checked = await _checked(ctx, typed)
    if checked is not None:
        return checked
    return await _add(ctx, typed, then_more=True, kind=ctx.data.get("kind"))


async def _checked(ctx: Context, typed: str) -> Outcome | None:
    """A typed feeling is acknowledged and not saved (the guided questions are offered);
    a doubtful strength is confirmed first. None: save it."""
    acknowledgement = await feeling_instead(ctx, typed)
    if acknowledgement is not None:
        guided = reply(ctx.say("strengths.ask_kind"), *_find_buttons(ctx))
        return ask("kind", acknowledgement, reply(ctx.say("strengths.not_a_strength")), guided)
    question = confirm_strength(ctx, typed)
    if question is not None:
        return ask("confirm", question)
    return None


async def confirm(ctx: Context, answer: Answer) -> Outcome:
    pending = str(ctx.data.pop("pending_strength", "") or "")
    if answer.choice == CONFIRM_YES and pending:
        return await _add(ctx, pending, then_more=True, kind=ctx.data.get("kind"))
    if answer.choice == CONFIRM_NO:
        return done(reply(ctx.say("strengths.confirm_dropped")))
    return not_mine()


async def more(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "again":
        return ask("kind", reply(ctx.say("strengths.ask_kind"), *_find_buttons(ctx)))
    if answer.choice == "friend":
        return done(then="/invite")
    if _declined(answer):
        answer = Answer(choice="enough")
    if answer.text:
        checked = await _checked(ctx, answer.text.strip())
        if checked is not None:
            return checked
    typed = _typed_strength(answer)
    if typed is not None:
        return await _add(ctx, typed, then_more=True, kind=ctx.data.get("kind"))
    if answer.choice != "enough":
        return not_mine()
    shown = await list_reply(ctx)
    return done(*([shown] if shown else []))


DIALOG = Dialog(
    name="strengths",
    commands=("strengths",),
    steps={
        "start": start,
        "list_action": list_action,
        "kind": kind,
        "text": text,
        "more": more,
        "remove_pick": remove_pick,
        "confirm": confirm,
    },
)
