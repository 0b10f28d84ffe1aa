"""/strengths: recall, add, remove, and the guided dialog."""

from __future__ import annotations

from tests.harness import Chat


async def test_add_then_recall_shows_the_list(chat: Chat):
    await chat.send("/strengths add Patient with hard problems")
    assert "Patient with hard problems" in chat.text
    await chat.send("/strengths add Good at explaining things")
    await chat.send("/strengths")
    assert "1. Patient with hard problems" in chat.text
    assert "2. Good at explaining things" in chat.text


async def test_remove_by_number_and_out_of_range(chat: Chat):
    await chat.send("/strengths add One")
    await chat.send("/strengths add Two")
    await chat.send("/strengths remove 99")
    assert "no number 99" in chat.text
    await chat.send("/strengths remove 1")
    assert 'Removed: "One"' in chat.text
    await chat.send("/strengths")
    assert "1. Two" in chat.text and "One" not in chat.text


async def test_remove_by_words_that_match_nothing_changes_nothing(chat: Chat):
    await chat.send("/strengths add Kept")
    await chat.send("/strengths remove first")
    assert 'Nothing on your list has the words "first"' in chat.text
    await chat.send("/strengths")
    assert "1. Kept" in chat.text


async def test_guided_dialog_names_a_strength(chat: Chat):
    await chat.send("/strengths")
    assert "empty" in chat.text
    await chat.press("How I work")
    await chat.send("I stay calm when a release goes wrong")
    assert "Saved" in chat.text
    await chat.press("enough")
    assert "1. I stay calm when a release goes wrong" in chat.text


async def test_free_text_question_shows_strengths(chat: Chat):
    await chat.send("/strengths add Curious")
    await chat.send("what am I good at")
    assert "1. Curious" in chat.text


async def test_text_round_trips_exactly(chat: Chat):
    odd = "<b>x</b> @everyone _*[ 'קורא' 🙂 ); DROP TABLE users;--"
    await chat.send(f"/strengths add {odd}")
    await chat.send("/strengths")
    assert f"1. {odd}" in chat.text


async def test_strengths_are_not_shown_in_a_group(chat: Chat, new_chat):
    await chat.send("/strengths add Private thing")
    group = new_chat("alice", private=False)
    await group.send("/strengths")
    assert "Private thing" not in group.text
    assert "private chat" in group.text


async def test_remove_without_a_number_offers_the_list_as_buttons(chat: Chat):
    await chat.send("/strengths add Listens well")
    await chat.send("/strengths add Good with numbers")
    await chat.send("/strengths remove")
    assert [b.label for b in chat.buttons()] == ["1. Listens well", "2. Good with numbers"]
    await chat.press("2. Good")
    assert 'Removed: "Good with numbers"' in chat.text
    await chat.send("/strengths")
    assert "1. Listens well" in chat.text and "Good with numbers" not in chat.text


async def test_a_strength_typed_instead_of_picking_a_kind_is_kept(chat: Chat):
    await chat.send("/strengths")
    await chat.send("I stay patient with difficult customers")
    assert "Saved" in chat.text
    await chat.send("Good at spotting patterns in data")  # at "add another?": one more
    await chat.send("/strengths")
    assert "2. Good at spotting patterns in data" in chat.text


async def test_odd_numbers_remove_nothing(chat: Chat):
    await chat.send("/strengths add Kept")
    for bad in ("/strengths remove ²", "/strengths remove " + "9" * 5000, "/strengths remove 0"):
        await chat.send(bad)
    await chat.send("/strengths")
    assert "1. Kept" in chat.text
