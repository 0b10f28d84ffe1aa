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
    assert chat.text == "✓ The role — 1 of 8"  # one line, not the whole list again
    # every item keeps its place, so numbers read from the first list still fit
    labels = [b.label for b in chat.buttons()]
    assert len(labels) == 9 and labels[0].startswith("✓") and labels[1].startswith("☐")
    await chat.press("What staff say")
    assert chat.text == "✓ What staff say — 2 of 8"
    await chat.press("Done for now")
    assert "2 of 8 checked" in chat.text
    await chat.send("/targets")
    assert "1. Globex (2/8 checked)" in chat.text


async def test_typed_numbers_from_the_first_list_tick_the_same_items(chat: Chat, db):
    await chat.send("/targets add Globex")
    first = [b.label for b in chat.buttons()]
    for number in ("2", "3", "5"):
        await chat.send(number)
    await chat.send("/targets")
    await chat.press("Globex")
    marked = [line for line in chat.text.splitlines() if line.startswith("✓")]
    items = content.data("fit_checklist")["items"]
    assert len(marked) == 3
    assert [items[n - 1]["label"] for n in (2, 3, 5)] == [
        label.split(" ", 1)[1] for label in (first[1], first[2], first[4])
    ]
    for n in (2, 3, 5):
        assert any(items[n - 1]["text"] in line for line in marked)


async def test_every_item_ticked_suggests_applying(chat: Chat):
    await chat.send("/targets add Initech")
    for item in content.data("fit_checklist")["items"]:
        await chat.press(item["label"])
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


async def test_the_full_checklist_is_shown_once(chat: Chat):
    await chat.send("/targets add Globex")
    for label in ("The role", "The team", "Recent news"):
        await chat.press(label)
    shown = "\n".join(r.text for r in chat.history)
    assert shown.count("Read the whole job description") == 1


async def test_targets_with_a_name_asks_to_add_it(chat: Chat):
    await chat.send("/targets Globex")
    assert "Add Globex to your target companies?" in chat.text
    await chat.press("Add Globex")
    assert "Added Globex" in chat.text
    await chat.send("/targets globex")
    assert "Before you apply to Globex" in chat.text
    await chat.send("/targets Hooli")
    await chat.press("No")
    await chat.send("/targets")
    assert "Hooli" not in chat.text


async def test_forged_target_ids_are_refused_quietly(chat: Chat):
    await chat.send("/targets add Globex")
    await chat.press("Done for now")
    await chat.send("/targets")
    nonce = chat.button("Globex").payload.split(":")[1]
    await chat.press_payload(f"a:{nonce}:t①")
    assert "went wrong" not in chat.text.lower()
