"""/invite: the person asks friends, family or housemates to add to their strengths
(docs/CONTENT.md idea 6), and decides about what they wrote.

- ``/invite``: the newest open invite to forward, or a new one (rate-limited); then any
  contributions still waiting for a decision.
- ``/invite new``, ``/invite list`` (with [Withdraw N] buttons), ``/invite withdraw N``.
- ``/invite keep ID``, ``/invite decline ID``, ``/invite block ID``: the buttons under a
  friend's contribution (core/invites.py); ``decline`` (Not now) leaves it waiting, shown
  again by ``/invite``; ``block`` closes the invite it came through.

On Telegram the forwardable message carries a deep link (``Reply.meta["deep_link"]``,
rendered by the adapter with the bot's user name); elsewhere it carries ``/vouch CODE``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core import invites as rules
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.dialogs.fields import small_int
from core.messages import Platform, Reply
from storage.models import Contribution, Invite
from storage.repositories import invites, strengths


async def start(ctx: Context, answer: Answer) -> Outcome:
    action, _, rest = answer.text.strip().partition(" ")
    action, rest = action.lower(), rest.strip()
    if not action:
        return await _offer(ctx, fresh=False)
    if action == "new":
        return await _offer(ctx, fresh=True)
    if action == "list":
        return await _list(ctx)
    if action == "withdraw":
        return await _withdraw_number(ctx, rest)
    if action in ("keep", "decline", "block"):
        number = row_id(rest)
        if number is None:
            return done(reply(ctx.say("friends.missing")))
        return await _decide(ctx, action, number)
    return done(reply(ctx.say("friends.usage")))


def row_id(text: str) -> int | None:
    """A database id typed or carried by a button (ASCII digits, at most 12); else None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) < 1:
        return None
    return int(text)


# -- making and sharing --------------------------------------------------------------
async def _offer(ctx: Context, *, fresh: bool) -> Outcome:
    open_now = await invites.open_for(ctx.session, ctx.user.id, ctx.now)
    replies: list[Reply] = []
    if open_now and not fresh:
        again = reply(ctx.say("friends.again"), personal=True)
        replies += [again, share_reply(ctx, open_now[-1])]
    else:
        refusal = await _limit_refusal(ctx, len(open_now))
        if refusal is not None:
            return done(refusal)
        invite = await _create(ctx)
        days = rules.INVITE_LIFETIME.days
        made = ctx.say("friends.made", uses=invite.max_uses, days=days)
        replies += [reply(made, personal=True), share_reply(ctx, invite)]
    replies += await waiting_replies(ctx)
    return done(*replies)


async def _limit_refusal(ctx: Context, open_count: int) -> Reply | None:
    if open_count >= rules.MAX_OPEN_INVITES:
        return reply(ctx.say("friends.too_many_open", count=open_count))
    since = ctx.now - timedelta(days=1)
    made = await invites.created_since(ctx.session, ctx.user.id, since)
    if made >= rules.MAX_INVITES_PER_DAY:
        return reply(ctx.say("friends.too_many_today", count=made))
    return None


async def _create(ctx: Context) -> Invite:
    code = rules.new_code()
    while await invites.find(ctx.session, code) is not None:  # pragma: no cover - 1 in 1e11
        code = rules.new_code()
    return await invites.create(
        ctx.session,
        ctx.user.id,
        code,
        ctx.now,
        max_uses=ctx.settings.invite_uses,
        expires_at=ctx.now + rules.INVITE_LIFETIME,
    )


def share_reply(ctx: Context, invite: Invite) -> Reply:
    """The message the person forwards: a deep link on Telegram, ``/vouch CODE`` elsewhere.
    It names nobody: the friend learns who asked from the person who forwards it. Personal:
    the code lets anyone who has it write to the person, so it is shown only to them."""
    if ctx.incoming.platform == Platform.TELEGRAM.value:
        payload = rules.deep_link_payload(invite.code)
        text = ctx.say("friends.share_link")
        return Reply(text, personal=True, meta={"deep_link": payload})
    return Reply(ctx.say("friends.share_code", code=invite.code), personal=True)


# -- listing and withdrawing ---------------------------------------------------------
async def _list(ctx: Context) -> Outcome:
    open_now = await invites.open_for(ctx.session, ctx.user.id, ctx.now)
    if not open_now:
        return done(reply(ctx.say("friends.list_empty")))
    lines = [ctx.say("friends.list_heading")]
    buttons = []
    for number, invite in enumerate(open_now, 1):
        until = _local_day(ctx, invite.expires_at)
        lines.append(
            ctx.say(
                "friends.list_line",
                number=number,
                code=invite.code,
                uses=invite.uses,
                max_uses=invite.max_uses,
                until=until,
            )
        )
        label = ctx.say("friends.withdraw_button", number=number)
        buttons.append(ctx.choice(label, str(invite.id)))
    return ask("withdraw", reply("\n".join(lines), *buttons, personal=True))


def _local_day(ctx: Context, instant: datetime) -> str:
    day = instant.astimezone(ctx.zone).date()
    return f"{day.day} {day:%B}"


async def withdraw(ctx: Context, answer: Answer) -> Outcome:
    chosen = row_id(answer.choice or "")
    if chosen is None:
        return not_mine()
    invite = await invites.owned(ctx.session, ctx.user.id, chosen)
    if invite is None or invite.withdrawn_at is not None:
        return done(reply(ctx.say("engine.stale_button")))
    invite.withdrawn_at = ctx.now
    return done(reply(ctx.say("friends.withdrawn", code=invite.code)))


async def _withdraw_number(ctx: Context, argument: str) -> Outcome:
    number = small_int(argument, 1, 999)
    open_now = await invites.open_for(ctx.session, ctx.user.id, ctx.now)
    if number is None or number > len(open_now):
        return done(reply(ctx.say("friends.withdraw_missing", number=argument[:10] or "?")))
    invite = open_now[number - 1]
    invite.withdrawn_at = ctx.now
    return done(reply(ctx.say("friends.withdrawn", code=invite.code)))


# -- deciding about a contribution ---------------------------------------------------
async def waiting_replies(ctx: Context) -> list[Reply]:
    """Contributions still waiting for Keep it / Not now, each with its buttons (for a
    person who missed the delivery, or uses the terminal chat)."""
    waiting = await invites.pending_for(ctx.session, ctx.user.id)
    if not waiting:
        return []
    replies = [reply(ctx.say("friends.waiting_heading", count=len(waiting)), personal=True)]
    for row in waiting:
        text = rules.contribution_message(row.text, row.note, row.signed)
        replies.append(Reply(text, rules.contribution_buttons(row.id), personal=True))
    return replies


async def _decide(ctx: Context, action: str, contribution_id: int) -> Outcome:
    row = await invites.contribution(ctx.session, ctx.user.id, contribution_id)
    if row is None:
        return done(reply(ctx.say("friends.missing")))
    if action == "block":
        return await _block(ctx, row)
    if row.status == invites.KEPT:
        return done(reply(ctx.say("friends.kept_already")))
    if row.status != invites.PENDING:
        return done(reply(ctx.say("friends.decided_already")))
    if action == "decline":  # Not now: it stays waiting, and /invite shows it again
        return done(reply(ctx.say("friends.declined")))
    row.decided_at = ctx.now
    row.status = invites.KEPT
    existing = await strengths.list_for(ctx.session, ctx.user.id)
    same = next((s for s in existing if s.text.casefold() == row.text.casefold()), None)
    if same is not None:  # already on the list (in their words or a friend's): not twice
        row.strength_id = same.id
        return done(reply(ctx.say("friends.kept_already")))
    row.strength_id = await strengths.add(
        ctx.session, ctx.user.id, row.text, ctx.now, source="friend"
    )
    who = row.signed or ctx.say("friends.a_friend")
    return done(reply(ctx.say("friends.kept", who=who), personal=True))


async def _block(ctx: Context, row: Contribution) -> Outcome:
    if row.status == invites.PENDING:
        row.status, row.decided_at = invites.DECLINED, ctx.now
    if row.invite_id is not None:
        invite = await invites.owned(ctx.session, ctx.user.id, row.invite_id)
        if invite is not None:
            invite.blocked = True
            invite.withdrawn_at = invite.withdrawn_at or ctx.now
            await invites.decline_pending_of(ctx.session, invite.id, ctx.now)
    return done(reply(ctx.say("friends.blocked")))


DIALOG = Dialog(
    name="invite",
    commands=("invite",),
    steps={"start": start, "withdraw": withdraw},
)
