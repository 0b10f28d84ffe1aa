"""The conversation engine: one incoming message in, a list of replies out.

Every message runs in one short write transaction, under a per-person lock, in this
order: safety check of any typed text (the crisis reply, or the direct safety question
of the Ask tier); then a button payload, a command, the current dialog's next step, or
the intent of free text. Nothing here talks to a platform.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from core import content, feelings, safety, variety
from core.crisis import crisis_message
from core.dialog import (
    ANSWER_PREFIX,
    COMMAND_PREFIX,
    Answer,
    Context,
    Dialog,
    EngineSettings,
    Outcome,
    check_graph,
    check_menu,
    new_nonce,
    parse_payload,
)
from core.intents import Intent, guess, topic
from core.menus import main_menu
from core.messages import Button, Incoming, Reply
from core.safety import Tier
from core.words import yes_no
from storage.database import Database
from storage.models import CrisisEvent
from storage.repositories import users
from storage.repositories.users import DialogState

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


T = TypeVar("T")

ENGINE_COMMANDS = ("cancel",)
"""Menu commands the engine answers itself, without a dialog."""
TRANSIENT_ATTEMPTS = 3
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


def is_transient(error: DBAPIError) -> bool:
    """A failure worth running the same transaction again for."""
    if getattr(error.orig, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    return "database is locked" in str(error.orig)


SAFETY_QUESTION = "safety_question"
"""Dialog name of the open direct safety question (the Ask tier); run by the engine."""
STATE_TTL = timedelta(hours=24)
"""A dialog left open longer than this is forgotten: what comes next is something new."""
STAY_INTENTS = frozenset({Intent.UNKNOWN, Intent.GREETING, Intent.THANKS})
"""Typed text that is no answer but no new topic either: the dialog stays open."""
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
"""last_seen_at is rewritten at most this often, sparing a write on every message."""

INTENT_COMMANDS = {
    Intent.REJECTION: "rejected",
    Intent.STRENGTHS: "strengths",
    Intent.FEEDBACK: "feedback",
    Intent.SKILLS: "skills",
    Intent.APPLIED: "applied",
    Intent.MOOD: "mood",
    Intent.HELP: "help",
    Intent.GOOD_NEWS: "goodnews",
}
FEELING_FIRST = frozenset(
    {Intent.APPLIED, Intent.STRENGTHS, Intent.SKILLS, Intent.HELP, Intent.UNKNOWN}
)
"""Intents a heavy typed feeling outranks: "this job search is killing me" is fatigue to
acknowledge, not an application to log (issue 13, acknowledge first)."""
PARKED = "_parked"
"""Step name of a dialog set aside by /sos or a crisis reply: kept, not carried on, and
offered again later (``RESUME``)."""
PARKED_STEP = "_parked_step"
"""Dialog data key: the step a parked dialog was at."""
RESUME = "resume"


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: str


def parse_command(text: str) -> Command | None:
    """``/mood@ReboundBot 3 rough`` -> Command("mood", "3 rough"); None if not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    # Any white space ends the name: phones put no-break spaces and newlines there too.
    parts = text[1:].split(maxsplit=1)
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    name = head.split("@", 1)[0].lower()
    if not (name.replace("_", "").isascii() and name.replace("_", "").isalnum()):
        return None
    return Command(name, rest[0].strip() if rest else "")


def intent_of(text: str, intent: Intent | None = None) -> Intent:
    """The intent of crisis-checked text, a typed feeling first: a heavy feeling outranks
    a topic word (``FEELING_FIRST``), and relief or joy is a mood rather than unknown.
    ``intent`` is the classifier's decision when the caller already has it."""
    intent = intent if intent is not None else topic(text)
    if intent not in FEELING_FIRST:
        return intent
    feeling = feelings.read(text)
    if feeling in feelings.HEAVY:
        return Intent.MOOD
    if intent is Intent.UNKNOWN and feeling in (feelings.Feeling.RELIEF, feelings.Feeling.JOY):
        return Intent.MOOD
    return intent


def deep_link(payload: str, known: Collection[str]) -> Command | None:
    """The command a ``/start`` payload names, or None to run /start itself.

    Telegram deep links (``t.me/<bot>?start=<payload>``) allow only ``A-Z a-z 0-9 _ -``,
    so ``X-Y`` stands for ``/X Y`` and ``X`` for ``/X``, for a known command X other
    than start: ``mood`` -> ``/mood``, ``vouch-K3Y`` -> ``/vouch K3Y``,
    ``strengths-add`` -> ``/strengths add``. A space works like the dash when typed.
    """
    head, _, rest = payload.strip().replace(" ", "-", 1).partition("-")
    name = head.lower()
    if name == "start" or name not in known:
        return None
    return Command(name, rest.strip())


class KeyedLocks:
    """One asyncio lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}

    @contextmanager
    def _entry(self, key: object) -> Iterator[asyncio.Lock]:
        lock, users_ = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users_ + 1)
        try:
            yield lock
        finally:
            lock, users_ = self._locks[key]
            if users_ <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users_ - 1)

    async def run(self, key: object, work: Callable[[], Awaitable[T]]) -> T:
        """Await ``work()`` once every earlier ``run`` with the same ``key`` is done;
        returns what it returns."""
        with self._entry(key) as lock:
            async with lock:
                return await work()

    def __len__(self) -> int:
        return len(self._locks)


class Engine:
    def __init__(
        self,
        db: Database,
        dialogs: Sequence[Dialog],
        *,
        clock: Clock = utc_now,
        settings: EngineSettings | None = None,
        menu: Iterable[str] | None = None,
    ) -> None:
        """``dialogs``: every dialog this engine runs. ``menu``: the command menu's names
        (core/commands.py), checked against the dialogs; None: not checked (tests with a
        few dialogs). Raises ``DialogGraphError`` when a dialog names a step it does not
        have, or the menu and the dialogs disagree."""
        self._db = db
        self._clock = clock
        self._settings = settings or EngineSettings()
        check_graph(dialogs)  # a step named but missing fails here, not mid-conversation
        if menu is not None:
            check_menu(dialogs, menu, ENGINE_COMMANDS)
        self._dialogs = {d.name: d for d in dialogs}
        self._by_command = {c: d for d in dialogs for c in d.commands}
        self._locks = KeyedLocks()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one message; never raises, never returns a traceback to the person."""
        key = (incoming.platform, incoming.user_id)
        try:
            replies = await self._locks.run(key, lambda: self._handle_retrying(incoming))
            replies = [await _rendered(reply) for reply in replies]
        except Exception:
            # The message text may be personal: log only where it failed.
            logger.exception("message from a %s user failed", incoming.platform)
            return [Reply(content.text("engine.error"))]
        return _guard_privacy(incoming, replies)

    async def mark_unreachable(self, platform: str, user_id: str) -> None:
        """The person blocked the bot or closed DMs; scheduled messages stop until they write."""
        async with self._db.write() as session:
            await users.mark_unreachable(session, platform, user_id, self._clock())

    # -- one message -----------------------------------------------------------------
    async def _handle_retrying(self, incoming: Incoming) -> list[Reply]:
        """A transaction the database aborted to break a deadlock or a serialisation
        conflict (two workers, one person) is simply run again; nothing was committed."""
        for attempt in range(1, TRANSIENT_ATTEMPTS + 1):
            try:
                return await self._handle(incoming)
            except DBAPIError as error:
                if attempt == TRANSIENT_ATTEMPTS or not is_transient(error):
                    raise
                logger.warning("transaction retried after a transient database error")
                await asyncio.sleep(0.02 * attempt)
        raise AssertionError("unreachable")

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        """One message as one unit of work: on SQLite all of it runs on the database
        thread, in one trip (``Database.unit``)."""
        return await self._db.unit(lambda session: self._handle_in(session, incoming))

    async def _handle_in(self, session: AsyncSession, incoming: Incoming) -> list[Reply]:
        now = self._clock()
        user, state, _created = await users.get_or_create(
            session, incoming.platform, incoming.user_id, now
        )
        loaded = state.snapshot() if state is not None else None
        ctx = Context(
            session=session,
            user=user,
            incoming=incoming,
            now=now,
            data={},
            settings=self._settings,
            state=state,
        )
        replies = await self._respond(ctx, incoming)
        # The person and the dialog state are written once, here, and only if changed.
        await users.store_person(session, ctx.user)
        await users.store_state(session, loaded, ctx.state)
        return replies

    async def _respond(self, ctx: Context, incoming: Incoming) -> list[Reply]:
        """The replies to one message, for the person and dialog state in ``ctx``."""
        user, state, now = ctx.user, ctx.state, ctx.now
        # NUL cannot be stored by PostgreSQL and never means anything typed.
        text = incoming.text.replace("\x00", "").strip()
        if now - user.last_seen_at > LAST_SEEN_RESOLUTION:
            user.last_seen_at = now
        if user.unreachable_at is not None:
            user.unreachable_at = None
        if state is not None and (
            (state.dialog not in self._dialogs and state.dialog != SAFETY_QUESTION)
            or now - state.updated_at > STATE_TTL
        ):
            # An old half-finished dialog must not swallow what is said today.
            state = ctx.state = None
        ctx.data = dict(state.data) if state else {}
        if incoming.edited:
            return await self._edited(ctx, state, text)
        if incoming.payload is not None:
            return await self._press(ctx, state, incoming.payload)
        if not text and incoming.media:
            return _text_only(incoming.media, state)
        if not text:
            if state is not None and state.step != PARKED and _question(state):
                return _question(state)  # an empty line: the open question again
            return [Reply(content.text("engine.empty"), main_menu()), *_resume_offer(state)]
        tier = Tier.NONE if self._nothing_typed(text) else safety.tier(text)
        if tier is Tier.CRISIS:
            return await self._crisis(ctx, state)
        if state is not None and state.dialog == SAFETY_QUESTION:
            return await self._safety_answer(ctx, state, _typed_answer(state, text), text)
        if tier is Tier.ASK and await self._may_ask(ctx):
            return await self._ask(ctx, state, text)
        return await self._typed(ctx, state, text)

    def _dialog_for(self, text: str) -> Dialog | None:
        """The dialog typed ``text`` would start by its intent, or None."""
        command_name = INTENT_COMMANDS.get(intent_of(text)) if text else None
        return self._by_command.get(command_name) if command_name else None

    def _nothing_typed(self, text: str) -> bool:
        """True for a known command with no words after it ("/mood", "/mood 3",
        "/strengths"): nothing a person wrote for the safety check to read. An unknown
        "command" ("/kms") and any words after a known one are checked as usual."""
        command = parse_command(text)
        return (
            command is not None
            and (command.name in self._by_command or command.name in ENGINE_COMMANDS)
            and (not command.args or command.args.isdecimal())
        )

    async def _typed(self, ctx: Context, state: DialogState | None, text: str) -> list[Reply]:
        """Typed text that passed the safety check: a command, an answer to the open
        step, or free text routed by its intent."""
        command = parse_command(text)
        if command is not None:
            return await self._command(ctx, command)
        if state is not None:
            return await self._continue(ctx, state, _typed_answer(state, text))
        return await self._free_text(ctx, text)

    # -- the Ask tier -----------------------------------------------------------------
    async def _may_ask(self, ctx: Context) -> bool:
        """The direct question is asked at most once a local day, unless a crisis-tier
        message came after the last one (issue 11; every message is still checked)."""
        row = (
            await ctx.session.execute(
                select(
                    func.max(CrisisEvent.occurred_at).filter(CrisisEvent.tier == Tier.ASK.value),
                    func.max(CrisisEvent.occurred_at).filter(CrisisEvent.tier == Tier.CRISIS.value),
                ).where(CrisisEvent.user_id == ctx.user.id)
            )
        ).one()
        last_ask, last_crisis = (_aware(t) for t in row)
        if last_ask is None or (last_crisis is not None and last_crisis >= last_ask):
            return True
        return last_ask.astimezone(ctx.zone).date() != ctx.today

    async def _ask(self, ctx: Context, state: DialogState | None, text: str) -> list[Reply]:
        """Warmth and one plain question with Yes / No / Not sure. The open dialog and the
        message wait in the question's state until it is answered; only the time and the
        tier are recorded."""
        ctx.session.add(CrisisEvent(user_id=ctx.user.id, occurred_at=ctx.now, tier=Tier.ASK.value))
        resume: dict[str, Any] | None = None
        if state is not None:
            resume = {"dialog": state.dialog, "step": state.step, "nonce": state.nonce}
            resume["data"] = dict(state.data or {})
        ctx.data = {"resume": resume, "text": text}
        leads = content.texts("safety.lead")
        lead = leads[(ctx.user.id + ctx.now.toordinal()) % len(leads)]
        buttons = (
            ctx.choice(content.text("safety.yes"), "yes"),
            ctx.choice(content.text("safety.no"), "no"),
            ctx.choice(content.text("safety.unsure"), "unsure"),
        )
        question = Reply(content.text("safety.question"), buttons, personal=True, urgent=True)
        replies = [Reply(lead, personal=True, urgent=True), question]
        ctx.data[TYPED_LABELS] = {
            **{word: "yes" for word in content.texts("safety.yes_words")},
            **{word: "no" for word in content.texts("safety.no_words")},
            **{word: "unsure" for word in content.texts("safety.unsure_words")},
            **_choice_labels(replies, ctx.next_nonce),
        }
        ctx.data[QUESTION] = _question_data(replies)
        ctx.state = users.save_state(
            state,
            ctx.user.id,
            dialog=SAFETY_QUESTION,
            step="answer",
            nonce=ctx.next_nonce,
            data=ctx.data,
            now=ctx.now,
        )
        logger.info("safety question asked of a %s user", ctx.incoming.platform)
        return replies

    async def _safety_answer(
        self, ctx: Context, state: DialogState, answer: Answer, typed: str | None = None
    ) -> list[Reply]:
        """Yes or Not sure: the crisis reply. No: thanks, a pointer to /sos, and what they
        wrote is answered: a command runs, free text is routed by its intent, and a dialog
        that was open shows its question again (a worrying line is never stored as the
        answer to a step). Typed words that start like an answer count as one ("no, just
        the job hunt"); a question back ("why do you ask?") gets one short explanation and
        the question again; anything else drops the question and is handled as new."""
        data = dict(state.data or {})
        choice = answer.choice or _typed_safety_choice(typed)
        if choice is None and typed and not typed.startswith("/") and not data.get("explained"):
            return self._explain_question(ctx, state, data)
        await self._restore(ctx, state, data.get("resume"))
        if choice in ("yes", "unsure"):
            return await self._crisis(ctx, ctx.state)
        if choice == "no":
            lead = [Reply(content.text("safety.after_no"), personal=True)]
            said = str(data.get("text") or "")
            if parse_command(said) is None and ctx.state is not None:
                back = [Reply(content.text("engine.back_to_dialog")), *_question(ctx.state)]
                return lead + back
            return lead + await self._typed(ctx, ctx.state, said)
        if typed:
            return await self._typed(ctx, ctx.state, typed)
        return [Reply(content.text("engine.stale_button"))]

    def _explain_question(
        self, ctx: Context, state: DialogState, data: dict[str, Any]
    ) -> list[Reply]:
        """Why the bot asked, and the same question again, once."""
        state.data = {**data, "explained": True}
        state.updated_at = ctx.now
        question = _question(state)
        return [Reply(content.text("safety.why"), personal=True, urgent=True), *question]

    @staticmethod
    async def _restore(ctx: Context, state: DialogState, resume: dict[str, Any] | None) -> None:
        """Put back the dialog that was open when the safety question was asked."""
        if not resume:
            ctx.state = None
            ctx.data = {}
            return
        ctx.data = dict(resume["data"])
        ctx.state = users.save_state(
            state,
            ctx.user.id,
            dialog=resume["dialog"],
            step=resume["step"],
            nonce=resume["nonce"],
            data=ctx.data,
            now=ctx.now,
        )

    async def _edited(self, ctx: Context, state: DialogState | None, text: str) -> list[Reply]:
        """An edited message gets the crisis check and nothing else: running it again as
        a new message would log a mood twice or answer a dialog step that has moved on,
        and silently changing what was saved would surprise the person. A crisis
        statement typed into an edit is answered like any other."""
        if text and safety.is_crisis(text):
            return await self._crisis(ctx, state)
        return []

    async def _passed_on(self, ctx: Context, answer: Answer) -> list[Reply]:
        """A step did not take this answer. Something new (a rejection, a mood...) leaves
        the dialog; words we cannot place keep it open and show its question again."""
        state = ctx.state
        intent = intent_of(answer.text) if answer.text else Intent.UNKNOWN
        if state is not None and intent in STAY_INTENTS:
            lead = "engine.thanks_stay" if intent is Intent.THANKS else "engine.pick_a_button"
            return [Reply(content.text(lead)), *_question(state)]
        await self._end_dialog(ctx)
        return await self._free_text(ctx, answer.text, intent)

    @staticmethod
    async def _end_dialog(ctx: Context) -> None:
        ctx.state = None  # the row goes when the message is done (users.store_state)

    async def _press(self, ctx: Context, state: DialogState | None, payload: str) -> list[Reply]:
        parsed = parse_payload(payload)
        if parsed is None:
            return [Reply(content.text("engine.bad_button"))]
        kind, nonce, value = parsed
        if kind == "command":
            command = parse_command(value)
            if command is None:
                return [Reply(content.text("engine.bad_button"))]
            if safety.is_crisis(value):  # a forged payload is text too
                return await self._crisis(ctx, state)
            return await self._command(ctx, command)
        if state is None:
            return [Reply(content.text("engine.stale_button"))]
        if state.nonce != nonce:
            return [Reply(content.text("engine.stale_button_open")), *_question(state)]
        if state.dialog == SAFETY_QUESTION:
            return await self._safety_answer(ctx, state, Answer(choice=value))
        return await self._continue(ctx, state, Answer(choice=value))

    async def _crisis(self, ctx: Context, state: DialogState | None) -> list[Reply]:
        ctx.session.add(CrisisEvent(user_id=ctx.user.id, occurred_at=ctx.now))
        ctx.user.crisis_at = ctx.now
        dialog = self._dialogs.get(ctx.state.dialog) if ctx.state is not None else None
        if dialog is not None and dialog.ends_on_crisis:
            await self._end_dialog(ctx)
        else:
            _park(ctx.state)
        logger.info("crisis reply sent to a %s user", ctx.incoming.platform)
        text = crisis_message(ctx.user.country, ctx.user.timezone)
        return [Reply(text, personal=True, urgent=True)]

    async def _command(self, ctx: Context, command: Command) -> list[Reply]:
        if command.name in ENGINE_COMMANDS:  # /cancel
            had_dialog = ctx.state is not None
            open_dialog = self._dialogs.get(ctx.state.dialog) if ctx.state is not None else None
            await self._end_dialog(ctx)
            if open_dialog is not None and open_dialog.goodbye is not None:
                return [Reply(content.text(open_dialog.goodbye))]
            key = "engine.cancelled" if had_dialog else "engine.nothing_to_cancel"
            return [Reply(content.text(key), main_menu())]
        if command.name == "start" and command.args:
            command = deep_link(command.args, self._by_command) or command
        dialog = self._by_command.get(command.name)
        if dialog is None:
            return [Reply(content.text("engine.unknown_command", command=command.name[:40]))]
        return await self._start(ctx, dialog, Answer(text=command.args, command=command.name))

    async def _start(self, ctx: Context, dialog: Dialog, answer: Answer) -> list[Reply]:
        refusal = _refusal(ctx, dialog)
        if refusal is not None:
            return refusal
        open_dialog = ctx.state is not None and ctx.state.step != PARKED
        if dialog.interjection and open_dialog:
            step = dialog.step(dialog.entry)
            assert step is not None
            outcome = await step(ctx, answer)
            if dialog.parks:
                # /sos: after the crisis lines nobody is carried back into an exercise;
                # the dialog is kept and offered for later.
                _park(ctx.state)
                return [*outcome.replies, *_resume_offer(ctx.state)]
            # /help in the middle of something: answer, then carry on there.
            back = [Reply(content.text("engine.back_to_dialog")), *_question(ctx.state)]
            return [*outcome.replies, *back]
        if (
            ctx.state is not None
            and open_dialog
            and answer.command
            and ctx.state.dialog != dialog.name
        ):
            one_line = await self._one_line(ctx, dialog, answer)
            if one_line is not None:
                return one_line
        ctx.data = {}
        return await self._run(ctx, dialog, dialog.entry, answer)

    async def _one_line(self, ctx: Context, dialog: Dialog, answer: Answer) -> list[Reply] | None:
        """A command with its arguments typed mid-dialog (``/mood 2`` while the debrief
        asks for the role): done at once, then the open question again, as /help does.
        A command that opens a conversation of its own replaces the open dialog."""
        state = ctx.state
        assert state is not None
        kept = ctx.data
        ctx.data = {}
        step = dialog.step(dialog.entry)
        assert step is not None
        outcome = await step(ctx, answer)
        if outcome.next is None and outcome.then is None and not outcome.pass_on:
            ctx.data = kept
            if _asks(outcome.replies):
                # It asked something of its own (command buttons that work whenever
                # pressed): showing the old question after it would bury it.
                return outcome.replies
            back = [Reply(content.text("engine.back_to_dialog")), *_question(state)]
            return [*outcome.replies, *back]
        return await self._after(ctx, dialog, outcome, answer)

    async def _continue(self, ctx: Context, state: DialogState, answer: Answer) -> list[Reply]:
        dialog = self._dialogs[state.dialog]
        if state.step == PARKED:
            if answer.choice == RESUME:
                return _unpark(ctx, state)
            if answer.choice is not None or self._dialog_for(answer.text) is dialog:
                # An answer to the question that was open when the dialog was set aside
                # (its button, or its label typed), or more words about what the dialog
                # was about ("I was so close, final round" after a debrief): the person
                # picks it up themselves, rather than start it over and store it twice.
                _restore_parked(state)
                ctx.data.pop(PARKED_STEP, None)
                welcome = Reply(content.text("engine.welcome_back"))
                return [welcome, *await self._continue(ctx, state, answer)]
            return await self._free_text(ctx, answer.text)
        if dialog.step(state.step) is None:
            # A stored step this dialog no longer has (renamed in an upgrade, or a name
            # built at run time that check_graph could not read): say so in the log.
            logger.warning(
                "dialog %s has no step %r; the dialog was ended", dialog.name, state.step
            )
            await self._end_dialog(ctx)
            return await self._free_text(ctx, answer.text)
        if answer.choice is None and declined(answer.text):
            # "skip" or "idk" where the question offers no way to let it go: the step
            # ends kindly, and the word is never stored as an answer.
            await self._end_dialog(ctx)
            return [Reply(content.text("engine.declined"), main_menu())]
        refusal = _refusal(ctx, dialog)
        if refusal is not None:
            return refusal
        return await self._run(ctx, dialog, state.step, answer)

    async def _free_text(
        self, ctx: Context, text: str, intent: Intent | None = None
    ) -> list[Reply]:
        if not text:
            return [Reply(content.text("engine.stale_button"))]
        if declined(text):  # "skip" or "no" with nothing asked: no dialog starts
            reply = Reply(content.text("engine.declined_nothing_open"), main_menu())
            return [reply, *_resume_offer(ctx.state)]
        if intent is None:
            guessed = guess(text)
            intent = intent_of(text, guessed.decided)
            choices = [i for i in (guessed.intent, guessed.runner_up) if i in INTENT_COMMANDS]
            if intent is guessed.decided and guessed.ambiguous and len(choices) == 2:
                return [_did_you_mean(ctx, choices)]
        command_name = INTENT_COMMANDS.get(intent)
        if command_name is not None and command_name in self._by_command:
            dialog = self._by_command[command_name]
            return await self._start(ctx, dialog, Answer(command=command_name, said=text))
        if intent is Intent.GREETING:
            if _soon_after_crisis(ctx):
                # Not the cheery menu, nor an exercise to pick up: ask how they are.
                buttons = (
                    ctx.command(content.text("menu.mood"), "/mood"),
                    ctx.command(content.text("engine.sos_button"), "/sos"),
                )
                text = content.text("engine.greeting_after_crisis")
                return [Reply(text, buttons, personal=True)]
            key = "engine.greeting_new" if not ctx.user.onboarded else "engine.greeting"
            greeting = Reply(content.text(key, name=ctx.user.name or "there"), main_menu())
            return [greeting, *_resume_offer(ctx.state)]
        if intent is Intent.THANKS:
            return [Reply(content.text("engine.thanks")), *_resume_offer(ctx.state)]
        fallback = await variety.say(ctx.session, ctx.user.id, "engine.fallback", ctx.now)
        return [Reply(fallback, main_menu()), *_resume_offer(ctx.state)]

    async def _run(
        self, ctx: Context, dialog: Dialog, step_name: str, answer: Answer
    ) -> list[Reply]:
        step = dialog.step(step_name)
        if step is None:
            raise LookupError(f"dialog {dialog.name} has no step {step_name}")
        outcome: Outcome = await step(ctx, answer)
        return await self._after(ctx, dialog, outcome, answer)

    async def _after(
        self, ctx: Context, dialog: Dialog, outcome: Outcome, answer: Answer
    ) -> list[Reply]:
        """Store where the dialog goes next (or end it), then run a hand-over command."""
        if outcome.pass_on:
            return await self._passed_on(ctx, answer)
        if outcome.next is not None:
            ctx.data[TYPED_LABELS] = _choice_labels(outcome.replies, ctx.next_nonce)
            ctx.data[QUESTION] = _question_data(outcome.replies)
            ctx.state = users.save_state(
                ctx.state,
                ctx.user.id,
                dialog=dialog.name,
                step=outcome.next,
                nonce=ctx.next_nonce,
                data=ctx.data,
                now=ctx.now,
            )
        elif ctx.state is None or ctx.state.step != PARKED:
            await self._end_dialog(ctx)  # a parked dialog outlives one-off commands
        replies = list(outcome.replies)
        if outcome.then:
            command = parse_command(outcome.then)
            if command is not None:
                ctx.next_nonce = new_nonce()
                replies += await self._command(ctx, command)
        return replies


_ANSWER_STARTS = (
    ("yes", ("yes", "yeah", "yep", "yea", "ya", "ja", "si", "oui")),
    ("unsure", ("not sure", "unsure", "maybe", "idk", "i don't know", "i dont know", "kind of")),
    ("no", ("no", "nope", "nah", "not really", "i'm fine", "im fine", "i am fine", "nein", "non")),
)


def _typed_safety_choice(typed: str | None) -> str | None:
    """The answer typed words give the safety question: "no, I'm fine, just the job
    hunt" is No; "yeah kind of" is Yes. Checked in this order, by the first words."""
    if not typed:
        return None
    words = " ".join(typed.casefold().replace(",", " ").replace(".", " ").split())
    for choice, starts in _ANSWER_STARTS:
        if any(words == start or words.startswith(start + " ") for start in starts):
            return choice
    return None


def _soon_after_crisis(ctx: Context) -> bool:
    """Within the crisis pause (``EngineSettings.crisis_pause_hours``) after a crisis
    reply."""
    crisis_at = _aware(ctx.user.crisis_at)
    if crisis_at is None:
        return False
    return ctx.now - crisis_at < timedelta(hours=ctx.settings.crisis_pause_hours)


def _asks(replies: list[Reply]) -> bool:
    """True when the last reply offers buttons other than Undo: a question of its own."""
    if not replies or not replies[-1].buttons:
        return False
    return any(not b.payload.startswith(f"{COMMAND_PREFIX}/undo ") for b in replies[-1].buttons)


def _did_you_mean(ctx: Context, choices: list[Intent]) -> Reply:
    """The two likeliest intents as buttons, when the model cannot tell them apart
    (Rasa's ambiguity threshold; the numbers live in content/classifier.toml)."""
    buttons = tuple(
        ctx.command(content.text(f"engine.intent.{i.value}"), f"/{INTENT_COMMANDS[i]}")
        for i in choices
    )
    other = ctx.command(content.text("engine.intent.other"), "/help")
    return Reply(content.text("engine.did_you_mean"), (*buttons, other))


def _aware(instant: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every instant stored is UTC."""
    if instant is None or instant.tzinfo is not None:
        return instant
    return instant.replace(tzinfo=UTC)


async def _rendered(reply: Reply) -> Reply:
    """The reply with its attachment made, off the event loop and outside any transaction."""
    attachment = reply.attachment
    if attachment is None or attachment.render is None:
        return reply
    data = await asyncio.to_thread(attachment.render)
    return replace(reply, attachment=replace(attachment, data=data, render=None))


def _park(state: DialogState | None) -> None:
    """Set an open dialog aside (after /sos or a crisis reply): kept, not carried on."""
    if state is None or state.step == PARKED:
        return
    state.data = {**(state.data or {}), PARKED_STEP: state.step}
    state.step = PARKED


def _restore_parked(state: DialogState) -> None:
    """Put a parked dialog back at the step it was set aside at."""
    data = dict(state.data or {})
    state.step = str(data.pop(PARKED_STEP, "start"))
    state.data = data


def _unpark(ctx: Context, state: DialogState) -> list[Reply]:
    """The parked dialog again, at the question it was at."""
    _restore_parked(state)
    return [Reply(content.text("engine.welcome_back")), *_question(state)]


def _resume_offer(state: DialogState | None) -> list[Reply]:
    """For a parked dialog: a quiet line saying it is kept, with a button to pick it up."""
    if state is None or state.step != PARKED or not (state.data or {}).get(QUESTION):
        return []
    button = Button(content.text("engine.resume_button"), f"{ANSWER_PREFIX}{state.nonce}:{RESUME}")
    return [Reply(content.text("engine.resume_later"), (button,), personal=True)]


def _text_only(media: str, state: DialogState | None) -> list[Reply]:
    """A sticker, voice note, photo... without words: the bot says kindly that it reads
    only text; an open dialog stays open and its question is shown again."""
    what_key = f"engine.media.{media}"
    what = content.text(what_key if content.has_text(what_key) else "engine.media.other")
    return [Reply(content.text("engine.text_only", what=what)), *_question(state)]


def _refusal(ctx: Context, dialog: Dialog) -> list[Reply] | None:
    """Personal dialogs run only where the answer stays private: nothing is read or
    written for a person in a group chat (they would not see the result)."""
    if dialog.personal and not (ctx.incoming.private or ctx.incoming.ephemeral):
        return [Reply(content.text("engine.private_only"))]
    return None


QUESTION = "_question"
"""Dialog data key: the step's question (text and buttons), shown again when needed."""


def _question_data(replies: list[Reply]) -> dict[str, Any] | None:
    if not replies:
        return None
    last = replies[-1]
    return {"text": last.text, "buttons": [[b.label, b.payload] for b in last.buttons]}


def _question(state: DialogState | None) -> list[Reply]:
    """The open step's question again, with buttons that still answer it."""
    saved = (state.data or {}).get(QUESTION) if state is not None else None
    if not saved:
        return []
    buttons = tuple(Button(label, payload) for label, payload in saved["buttons"])
    return [Reply(saved["text"], buttons, personal=True)]


TYPED_LABELS = "_labels"
"""Dialog data key: the labels of the step's buttons, so typing a label presses it."""


def _choice_labels(replies: list[Reply], nonce: str) -> dict[str, str]:
    prefix = f"a:{nonce}:"
    return {
        button.label.casefold(): button.payload[len(prefix) :]
        for reply in replies
        for button in reply.buttons
        if button.payload.startswith(prefix)
    }


def _typed_answer(state: DialogState, text: str) -> Answer:
    """Typed text, or the button it names: its label ("skip" where a Skip button was
    shown) or its number in the open question (a chat that restarted and lost the list)."""
    data = state.data or {}
    if state.step == PARKED and (
        text == "1" or text.casefold() == content.text("engine.resume_button").casefold()
    ):
        # The one button a set-aside dialog offers, "Pick up where we left off", typed
        # (as its number in a terminal chat that restarted and lost the list).
        return Answer(choice=RESUME)
    value = (data.get(TYPED_LABELS) or {}).get(text.casefold())
    if value is None:
        value = _skip_value(data, text)
    if value is None and text.isascii() and text.isdigit() and len(text) < 3:
        buttons = (data.get(QUESTION) or {}).get("buttons") or []
        prefix = f"{ANSWER_PREFIX}{state.nonce}:"
        if 1 <= int(text) <= len(buttons) and buttons[int(text) - 1][1].startswith(prefix):
            value = buttons[int(text) - 1][1][len(prefix) :]
    if value is None:
        # "yeah", "nope", "sure" at a question whose buttons answer "yes" and "no"
        meant = yes_no(text)
        offered = set((data.get(TYPED_LABELS) or {}).values())
        if meant is not None and {"yes", "no"} <= offered:
            value = "yes" if meant else "no"
    return Answer(choice=value) if value is not None else Answer(text=text)


DECLINE_VALUES = ("off", "none", "enough", "done", "end", "keep")
"""Values of buttons that let a question go without an answer ("No thanks", "No date",
"That's enough for now"): a skip word presses one when no Skip or No is offered."""


def _said(text: str) -> str:
    return " ".join(text.casefold().strip(" .!").split())


def declined(text: str) -> bool:
    """A bare skip, decline or "I don't know" word: never an answer to store."""
    said = _said(text)
    return bool(said) and (
        said in content.texts("engine.skip_words") or said in content.texts("engine.unsure_words")
    )


def _skip_value(data: dict[str, Any], text: str) -> str | None:
    """The button a skip word presses ("nah" -> Skip, "later" -> Save for later, "no" ->
    No thanks, "idk" -> Not sure) where the open question has such a button; None
    otherwise."""
    said = _said(text)
    labels = data.get(TYPED_LABELS) or {}
    values = set(labels.values())
    preferred: tuple[str, ...]
    if said in content.texts("engine.later_words"):
        preferred = ("later", "skip", "skipped", "no", "unsure")
    elif said in content.texts("engine.skip_words"):
        preferred = ("skip", "skipped", "no", "later", "unsure")
    elif said in content.texts("engine.unsure_words"):
        preferred = ("unsure", "skip", "skipped", "later")
    else:
        return None
    found = next((value for value in preferred if value in values), None)
    if found is None:  # a button labelled like a skip word ("No thanks", "Not now")
        skip_labels = content.texts("engine.skip_words")
        found = next((v for label, v in labels.items() if _said(label) in skip_labels), None)
    if found is None:
        found = next((value for value in DECLINE_VALUES if value in values), None)
    return found


def _guard_privacy(incoming: Incoming, replies: list[Reply]) -> list[Reply]:
    """In a group channel without ephemeral replies, personal data stays private."""
    if incoming.private or incoming.ephemeral:
        return replies
    kept = [r for r in replies if r.urgent or not r.personal]
    if len(kept) != len(replies):
        kept.append(Reply(content.text("engine.private_only")))
    return kept
