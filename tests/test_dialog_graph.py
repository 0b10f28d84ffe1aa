"""The dialog graph is checked when the dialogs are built (core/dialog.py): a step named
in ``ask()`` that does not exist stops the bot at start-up, not a person mid-dialog; the
command menu and the dialogs' commands agree."""

from __future__ import annotations

import pytest

from bot.app import StartupFailed, open_app
from bot.settings import Settings
from core.commands import command_menu, command_names
from core.dialog import (
    Answer,
    Context,
    Dialog,
    DialogGraphError,
    Outcome,
    ask,
    check_graph,
    check_menu,
    done,
    reply,
)
from core.dialogs import all_dialogs
from core.engine import ENGINE_COMMANDS, Engine
from storage.database import Database


async def greet(ctx: Context, answer: Answer) -> Outcome:
    return ask("name", reply("What should I call you?"))


async def name(ctx: Context, answer: Answer) -> Outcome:
    if not answer.text:
        return ask("nmae", reply("Just a name is fine."))  # the typo under test
    return done(reply(f"Hello, {answer.text}."))


async def other_start(ctx: Context, answer: Answer) -> Outcome:
    return ask("colour", reply("Which colour?"))


async def colour(ctx: Context, answer: Answer) -> Outcome:
    return done(reply("Noted."))


BROKEN = Dialog(name="greet", commands=("greet",), steps={"start": greet, "name": name})
OTHER = Dialog(name="other", commands=("other",), steps={"start": other_start, "colour": colour})


def test_the_shipped_dialogs_and_menu_fit_together():
    check_graph(all_dialogs())
    check_menu(all_dialogs(), command_names(), ENGINE_COMMANDS)


def test_a_step_asked_for_but_missing_is_named_with_its_line():
    with pytest.raises(DialogGraphError) as raised:
        check_graph([BROKEN, OTHER])
    message = str(raised.value)
    assert "greet: step 'nmae'" in message and "tests.test_dialog_graph:" in message
    assert "colour" not in message and "other" not in message  # each dialog its own steps


def test_a_missing_entry_step_and_a_command_claimed_twice_are_refused():
    no_entry = Dialog(name="empty", commands=("other",), steps={"colour": colour})
    with pytest.raises(DialogGraphError) as raised:
        check_graph([OTHER, no_entry])
    assert "empty: step 'start' (its entry)" in str(raised.value)
    assert "/other starts both other and empty" in str(raised.value)


def test_the_engine_refuses_a_broken_graph_when_built(db: Database):
    with pytest.raises(DialogGraphError, match="nmae"):
        Engine(db, [BROKEN])
    Engine(db, [OTHER])  # a sound one is fine


async def test_start_up_stops_with_one_line_on_a_broken_graph(
    db_url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("bot.app.all_dialogs", lambda: (*all_dialogs(), BROKEN))
    settings = Settings(_env_file=None, database_url=db_url)  # type: ignore[call-arg]
    with pytest.raises(StartupFailed, match="step 'nmae'"):
        async with open_app(settings):
            pass


def test_the_menu_and_the_dialogs_must_agree():
    menu = [c.name for c in command_menu()]
    with pytest.raises(DialogGraphError, match="/greet is neither in the menu"):
        check_menu([*all_dialogs(), OTHER.__class__(**{**vars(BROKEN)})], menu, ENGINE_COMMANDS)
    with pytest.raises(DialogGraphError, match="/ghost is in the menu but nothing runs it"):
        check_menu(all_dialogs(), [*menu, "ghost"], ENGINE_COMMANDS)


async def asks_twice(ctx: Context, answer: Answer) -> Outcome:
    if answer.text:
        return ask("scroe", reply("Again?"))
    return ask("scroe", reply("How are you?"))


def test_every_place_a_missing_step_is_named_is_listed():
    twice = Dialog(name="twice", commands=("twice",), steps={"start": asks_twice})
    with pytest.raises(DialogGraphError) as raised:
        check_graph([twice])
    message = str(raised.value)
    assert message.count("test_dialog_graph:") == 2, message
