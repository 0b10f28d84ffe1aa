"""/targets: companies worth applying to, each with a fit checklist to tick off."""

from __future__ import annotations

from core import content
from tests.harness import Chat


def test_the_checklist_has_short_labels_and_unique_ids():
    items = content.data("fit_checklist")["items"]
    assert len(items) >= 6
    assert len({i["id"] for i in items}) == len(items)
    assert all(len(i["label"]) <= 24 for i in items)
    assert any("recruiter" in i["text"].lower() for i in items)


async def test_add_and_tick_the_checklist(chat: Chat):
    await chat.send("/targets add Globex")
    assert "Added Globex" in chat.text
    assert "☐ Read the whole job description" in chat.text
    await chat.press("The role")
    assert "✓ Read the whole job description" in chat.text
    await chat.press("What staff say")
    await chat.press("The role")  # unticked again
    assert "☐ Read the whole job description" in chat.text
    await chat.press("Done for now")
    assert "1 of 8 checked" in chat.text
    await chat.send("/targets")
    assert "1. Globex (1/8 checked)" in chat.text


async def test_every_item_ticked_suggests_applying(chat: Chat):
    await chat.send("/targets add Initech")
    for item in content.data("fit_checklist")["items"]:
        await chat.press(item["label"])
    await chat.press("Done for now")
    assert "checked everything for Initech" in chat.text
    assert "/applied Initech" in chat.text


async def test_list_opens_a_checklist_and_adds_a_company(chat: Chat):
    await chat.send("/targets")
    assert "empty" in chat.text
    await chat.send("Acme")
    await chat.press("Done for now")
    await chat.send("/targets add acme")
    assert "already on your list" in chat.text
    await chat.send("/targets")
    await chat.press("Add a company")
    await chat.send("Globex")
    await chat.press("Done for now")
    await chat.send("/targets")
    assert "1. Acme" in chat.text and "2. Globex" in chat.text
    await chat.press("Globex")
    assert "Before you apply to Globex" in chat.text
