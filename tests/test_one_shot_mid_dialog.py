"""A one-shot command typed in the middle of a conversation (``/export``, ``/progress``,
``/privacy``...) is answered and the conversation stays open, its question shown again
where the command offered no buttons of its own (core/engine.py ``_one_line``)."""

from __future__ import annotations

import pytest

from core import content
from tests.harness import Chat

ZONE = "Which time zone are you in?"


@pytest.mark.parametrize("command", ["/export", "/progress", "/chart"])
async def test_a_one_shot_command_keeps_the_set_up(chat: Chat, command: str):
    await chat.send("/start")
    await chat.send("Sam")
    await chat.send(command)
    assert content.text("engine.back_to_dialog") in chat.text
    assert chat.last[-1].text.startswith(ZONE)
    await chat.send("Berlin")
    assert "May I keep those notes?" in chat.text


@pytest.mark.parametrize("command", ["/privacy", "/settings", "/affirmation"])
async def test_a_command_with_buttons_of_its_own_keeps_the_set_up(chat: Chat, command: str):
    await chat.send("/start")
    await chat.send("Sam")
    await chat.send(command)
    await chat.send("Berlin")
    assert "May I keep those notes?" in chat.text


async def test_export_keeps_the_debrief(chat: Chat):
    await chat.send("/rejected")
    await chat.send("Acme")
    await chat.send("/export")
    assert chat.last[-1].text.startswith("What was the role?")
    await chat.send("Analyst")
    assert "How far did you get?" in chat.text
    assert "simple bot" not in chat.text


async def test_privacy_is_not_repeated_for_a_later_line(chat: Chat):
    await chat.send("/privacy")
    await chat.send("Berlin")
    assert "What I keep about you" not in chat.text
    await chat.send("/privacy")
    await chat.press("Keep my mood notes")
    assert chat.text == content.text("privacy.notes_started")
