"""/link and /unlink: one person across Telegram and Discord (and the terminal chat).

``/link`` gives a one-time code, valid ``LINK_CODE_LIFETIME``; ``/link CODE`` typed on
the other platform joins the two records: the record that made the code is kept and
takes every row of the other (storage/repositories/links.merge; its settings win where
both have one), and the account that typed the code becomes a linked account showing
it. The person then chooses where scheduled messages go. ``/unlink`` asks which platform
keeps the record; the other account starts fresh.
"""

from __future__ import annotations

from core import invites as rules
from core.dialog import Answer, Context, Dialog, Outcome, ask, done, not_mine, reply
from core.messages import Button, Reply
from core.schedule_setup import move_to_zone
from storage.models import User
from storage.repositories import invites, links, users
from storage.repositories.users import Person


def _platform(ctx: Context, platform: str) -> str:
    key = f"link.platforms.{platform}"
    try:
        return ctx.say(key)
    except KeyError:
        return platform


async def start(ctx: Context, answer: Answer) -> Outcome:
    if answer.command == "unlink":
        return await _ask_unlink(ctx)
    typed = answer.text.strip()
    if not typed:
        accounts = await links.accounts_of(ctx.session, ctx.user.id)
        if accounts:
            return _status(ctx, accounts[0])
        return await _new_code(ctx)
    code = rules.normal_code(typed)
    if code is None:
        return done(reply(ctx.say("link.unknown")))
    return await _join(ctx, code)


async def _new_code(ctx: Context) -> Outcome:
    code = rules.new_code()
    expires = ctx.now + rules.LINK_CODE_LIFETIME
    await invites.new_link_code(ctx.session, ctx.user.id, code, expires)
    minutes = int(rules.LINK_CODE_LIFETIME.total_seconds() // 60)
    return done(reply(ctx.say("link.code", code=code, minutes=minutes), personal=True))


async def _join(ctx: Context, code: str) -> Outcome:
    """Join the two records. A refused use (this account's own code, the same platform,
    a record already joined) leaves the code in place, so the person can still type it
    on their other platform; only a join, or an expired code, uses it up."""
    row = await invites.find_link_code(ctx.session, code)
    if row is None:
        return done(reply(ctx.say("link.unknown")))
    minutes = int(rules.LINK_CODE_LIFETIME.total_seconds() // 60)
    if row.expires_at <= ctx.now:
        await invites.take_link_code(ctx.session, code)
        return done(reply(ctx.say("link.expired", minutes=minutes)))
    keep = await ctx.session.get(User, row.user_id)
    absorb = await users.as_orm(ctx.session, ctx.user)
    if keep is None or keep.id == absorb.id:
        return done(reply(ctx.say("link.own")))
    here = ctx.incoming.platform
    if keep.platform == here:
        return done(reply(ctx.say("link.same_platform", platform=_platform(ctx, here))))
    if await links.accounts_of(ctx.session, keep.id) or await links.accounts_of(
        ctx.session, absorb.id
    ):
        return done(reply(ctx.say("link.already_linked")))
    if await invites.take_link_code(ctx.session, code) is None:  # used meanwhile
        return done(reply(ctx.say("link.unknown")))
    ctx.state = None  # this account's open dialog goes with its record
    # The question below becomes the record's open dialog.
    await users.delete_state(ctx.session, keep.id)
    await links.merge(ctx.session, keep, absorb)
    ctx.user = await users.reload(ctx.session, keep.id)
    await move_to_zone(ctx, keep.timezone)  # schedules that moved over follow its zone
    joined = ctx.say("link.joined", here=_platform(ctx, here), there=_platform(ctx, keep.platform))
    return ask("where", reply(joined, personal=True), _where_question(ctx, keep, absorb))


def _where_question(ctx: Context, record: User | Person, account: User) -> Reply:
    buttons: list[Button] = [
        ctx.choice(_platform(ctx, user.platform), user.platform) for user in (record, account)
    ]
    return reply(ctx.say("link.ask_where"), *buttons)


def _status(ctx: Context, account: User) -> Outcome:
    record = ctx.user
    text = ctx.say(
        "link.status",
        first=_platform(ctx, record.platform),
        second=_platform(ctx, account.platform),
        where=_platform(ctx, record.platform),
    )
    return ask("where", reply(text, personal=True), _where_question(ctx, record, account))


async def where(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice is None:
        return not_mine()
    record = await users.as_orm(ctx.session, ctx.user)
    accounts = await links.accounts_of(ctx.session, record.id)
    chosen = next((a for a in accounts if a.platform == answer.choice), None)
    if chosen is not None:
        await links.swap_identity(ctx.session, record, chosen)
        ctx.user = await users.reload(ctx.session, record.id)
    elif answer.choice != record.platform:
        return done(reply(ctx.say("engine.stale_button")))
    return done(reply(ctx.say("link.where_set", where=_platform(ctx, record.platform))))


async def _ask_unlink(ctx: Context) -> Outcome:
    accounts = await links.accounts_of(ctx.session, ctx.user.id)
    if not accounts:
        return done(reply(ctx.say("link.not_linked")))
    buttons = [
        ctx.choice(_platform(ctx, user.platform), user.platform) for user in (ctx.user, accounts[0])
    ]
    buttons.append(ctx.choice(ctx.say("link.keep_both_button"), "none"))
    return ask("unlink", reply(ctx.say("link.ask_keep"), *buttons))


async def unlink(ctx: Context, answer: Answer) -> Outcome:
    if answer.choice == "none":
        return done(reply(ctx.say("link.kept_both")))
    if answer.choice is None:
        return not_mine()
    record = await users.as_orm(ctx.session, ctx.user)
    accounts = await links.accounts_of(ctx.session, record.id)
    if not accounts:
        return done(reply(ctx.say("link.not_linked")))
    account = accounts[0]
    if answer.choice == account.platform:  # the record moves to the account's platform
        await links.swap_identity(ctx.session, record, account)
    elif answer.choice != record.platform:
        return done(reply(ctx.say("engine.stale_button")))
    await links.separate(ctx.session, account)
    ctx.user = await users.reload(ctx.session, record.id)
    text = ctx.say(
        "link.separated",
        keeper=_platform(ctx, record.platform),
        other=_platform(ctx, account.platform),
    )
    return done(reply(text))


DIALOG = Dialog(
    name="link",
    commands=("link", "unlink"),
    steps={"start": start, "where": where, "unlink": unlink},
)
