"""Guided dialogs: declared as data (a name, the commands that start it, its steps) plus
small async step functions that take a ``Context`` and an ``Answer`` and return an
``Outcome``: the replies and the next step.

Steps never call a platform API. They read and write the person's record through
``ctx.session`` (the message's single short transaction) and build buttons with
``ctx.choice`` (an answer to the next step) or ``ctx.command`` (run a command).

Button payloads::

    a:<nonce>:<value>   answer to the step that showed it; refused once the dialog moved on
    c:<command text>    run a command as if typed, e.g. ``c:/mood 2``
"""

from __future__ import annotations

import ast
import inspect
import secrets
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core import content, variety
from core.messages import PAYLOAD_MAX_BYTES, Button, Incoming, Reply
from storage.repositories.users import DialogState, Person

ANSWER_PREFIX = "a:"
COMMAND_PREFIX = "c:"
NONCE_LENGTH = 6


def new_nonce() -> str:
    return secrets.token_urlsafe(NONCE_LENGTH)[:NONCE_LENGTH]


@dataclass(frozen=True, slots=True)
class Answer:
    """What the person gave this step: typed text, a pressed button's value, or both empty."""

    text: str = ""
    choice: str | None = None
    command: str | None = None
    """The command that started the dialog (entry step only), e.g. ``strengths``."""
    said: str = ""
    """Entry step only: the free text whose intent started the dialog."""

    @property
    def empty(self) -> bool:
        return not self.text and self.choice is None


@dataclass(slots=True)
class Outcome:
    replies: list[Reply]
    next: str | None = None
    """Next step of this dialog; None ends it."""
    then: str | None = None
    """A command to run right after (``/strengths``), when the dialog hands over."""
    pass_on: bool = False
    """The step does not take this answer: end the dialog and route the text as if no
    dialog were open (a typed message after a menu of buttons is something new)."""


@dataclass
class Context:
    """Everything a step may use. Built by the engine for one message."""

    session: AsyncSession
    user: Person
    incoming: Incoming
    now: datetime
    data: dict[str, Any]
    settings: EngineSettings
    state: DialogState | None = None
    """The stored dialog state (engine use)."""
    next_nonce: str = field(default_factory=new_nonce)

    # -- buttons ---------------------------------------------------------------------
    def choice(self, label: str, value: str) -> Button:
        """A button that answers the next step with ``value``."""
        return Button(label, f"{ANSWER_PREFIX}{self.next_nonce}:{value}")

    @staticmethod
    def command(label: str, command_text: str) -> Button:
        """A button that runs ``command_text`` (``/strengths add``) as if typed."""
        payload = f"{COMMAND_PREFIX}{command_text}"
        if len(payload.encode()) > PAYLOAD_MAX_BYTES:
            raise ValueError(f"command button too long: {command_text!r}")
        return Button(label, payload)

    # -- time ------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.user.timezone)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    # -- words -----------------------------------------------------------------------
    @staticmethod
    def say(key: str, /, **values: object) -> str:
        return content.text(key, **values)

    async def vary(self, key: str, /, **values: object) -> str:
        """One wording of a frequent message (a list in the content files), one the
        person has not seen lately (``core.variety``); recorded as seen."""
        return await variety.say(self.session, self.user.id, key, self.now, **values)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    crisis_pause_hours: float = 72.0
    mood_history_length: int = 7
    invite_uses: int = 5
    """How many friends can use one invite (core/invites.py, ``INVITE_USES``)."""


StepFn = Callable[[Context, Answer], Awaitable[Outcome]]


@dataclass(frozen=True)
class Dialog:
    name: str
    commands: tuple[str, ...]
    steps: Mapping[str, StepFn]
    entry: str = "start"
    personal: bool = True
    """Reads or writes the person's record: refused in a group chat, before it runs."""
    interjection: bool = False
    """One-shot (/help, /sos): run in the middle of another dialog without ending it."""
    parks: bool = False
    """Interjection that shows crisis lines (/sos): the open dialog is set aside and
    offered later instead of carried on (issue 13)."""
    ends_on_crisis: bool = False
    """A crisis reply ends this dialog (nothing it gathered is kept or offered again)
    instead of setting it aside: a friend's /vouch visit."""
    goodbye: str | None = None
    """Content key said on /cancel instead of the main menu (someone who is not a user,
    like a friend in /vouch, has no use for the menu)."""
    unlisted: tuple[str, ...] = ()
    """Commands of ``commands`` deliberately left out of the command menu
    (core/content/commands.toml): ``check_menu`` refuses any other difference."""
    computed_steps: tuple[str, ...] = ()
    """Step names its steps ask for through a variable (``ask(remaining[0])``), which
    ``check_graph`` cannot read: checked to exist like the literal ones."""

    def step(self, name: str) -> StepFn | None:
        """The step function named ``name``, or None when the dialog has none."""
        return self.steps.get(name)


class DialogGraphError(ValueError):
    """A dialog names a step it does not have, or two dialogs claim one command."""


def check_graph(dialogs: Iterable[Dialog]) -> None:
    """Check the dialogs as built, before any message arrives (the engine does it at
    start-up). Raises ``DialogGraphError`` listing every problem: an entry step or a
    ``computed_steps`` name that is not a step; a step name written as a literal in
    ``ask("...")`` or ``Outcome(replies, "...")`` that is not one of the dialog's steps,
    read in its step functions and in the functions of the same module they call; a
    command started by two dialogs."""
    problems: list[str] = []
    owners: dict[str, str] = {}
    for dialog in dialogs:
        for command in dialog.commands:
            if command in owners:
                problems.append(f"/{command} starts both {owners[command]} and {dialog.name}")
            owners[command] = dialog.name
        named: dict[str, list[str]] = {dialog.entry: ["its entry"]}
        for name in dialog.computed_steps:
            named.setdefault(name, []).append("computed")
        for step in dialog.steps.values():
            for name, line in _reachable_names(step):
                where = f"{step.__module__}:{line}"
                if where not in named.setdefault(name, []):
                    named[name].append(where)
        problems += [
            f"{dialog.name}: step {name!r} ({', '.join(sorted(places))}) does not exist"
            for name, places in named.items()
            if name not in dialog.steps
        ]
    if problems:
        raise DialogGraphError("; ".join(problems))


def _reachable_names(step: StepFn) -> list[tuple[str, int]]:
    """The literal step names (with their lines) in ``step`` and in the functions of its
    module that it calls, directly or through each other."""
    functions = _module_functions(step.__module__)
    seen: set[str] = set()
    todo = [getattr(step, "__name__", "")]
    found: list[tuple[str, int]] = []
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        asked, calls = functions[name]
        found += asked
        todo += calls
    return found


@cache
def _module_functions(
    module: str,
) -> Mapping[str, tuple[tuple[tuple[str, int], ...], tuple[str, ...]]]:
    """For each top-level function of ``module``: the literal step names it writes in
    ``ask("name", ...)`` / ``Outcome(replies, "name")`` / ``Outcome(..., next="name")``
    and the names it calls. Empty when the source is not available."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (KeyError, OSError, TypeError):
        return {}
    functions: dict[str, tuple[tuple[tuple[str, int], ...], tuple[str, ...]]] = {}
    for top in tree.body:
        if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        asked: list[tuple[str, int]] = []
        calls: list[str] = []
        for node in ast.walk(top):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            calls.append(node.func.id)
            target = _step_argument(node)
            if isinstance(target, ast.Constant) and isinstance(target.value, str):
                asked.append((target.value, node.lineno))
        functions[top.name] = (tuple(asked), tuple(calls))
    return functions


def _step_argument(call: ast.Call) -> ast.expr | None:
    """The step-name argument of an ``ask(...)`` or ``Outcome(...)`` call, else None."""
    assert isinstance(call.func, ast.Name)
    if call.func.id == "ask":
        return call.args[0] if call.args else None
    if call.func.id == "Outcome":
        keyword = next((k.value for k in call.keywords if k.arg == "next"), None)
        return call.args[1] if len(call.args) > 1 else keyword
    return None


def check_menu(
    dialogs: Iterable[Dialog], menu: Iterable[str], engine_commands: Iterable[str]
) -> None:
    """Check that the command menu (``menu``: the names in core/content/commands.toml)
    and the dialogs agree: every menu command is started by a dialog or handled by the
    engine itself (``engine_commands``), and every command a dialog starts is in the
    menu unless the dialog lists it as ``unlisted``. Raises ``DialogGraphError``."""
    dialogs = tuple(dialogs)
    started = {c for d in dialogs for c in d.commands}
    unlisted = {c for d in dialogs for c in d.unlisted}
    menu, engine = set(menu), set(engine_commands)
    problems = [f"/{c} is in the menu but nothing runs it" for c in sorted(menu - started - engine)]
    problems += [
        f"/{c} is neither in the menu nor marked unlisted"
        for c in sorted(started - menu - unlisted)
    ]
    problems += [f"/{c} is unlisted but in the menu" for c in sorted(unlisted & menu)]
    if problems:
        raise DialogGraphError("; ".join(problems))


def reply(text: str, *buttons: Button, personal: bool = False) -> Reply:
    return Reply(text=text, buttons=tuple(buttons), personal=personal)


def done(*replies: Reply, then: str | None = None) -> Outcome:
    return Outcome(list(replies), None, then)


def not_mine() -> Outcome:
    """End the dialog and let the engine route the typed text by its intent."""
    return Outcome([], None, pass_on=True)


def ask(next_step: str, *replies: Reply) -> Outcome:
    return Outcome(list(replies), next_step)


def parse_payload(payload: str) -> tuple[str, str, str] | None:
    """``("answer", nonce, value)`` or ``("command", "", text)``; None if malformed."""
    if payload.startswith(ANSWER_PREFIX):
        nonce, sep, value = payload[len(ANSWER_PREFIX) :].partition(":")
        if sep and len(nonce) == NONCE_LENGTH:
            return "answer", nonce, value
        return None
    if payload.startswith(COMMAND_PREFIX):
        command_text = payload[len(COMMAND_PREFIX) :]
        if command_text.startswith("/"):
            return "command", "", command_text
    return None
