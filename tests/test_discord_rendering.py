"""Splitting and rendering replies for Discord (pure functions, no network)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.discord.render import MESSAGE_LIMIT, discord_length, render, split_message
from core.messages import Attachment, Button, Reply


def test_short_text_is_one_piece() -> None:
    assert split_message("Hello there") == ["Hello there"]


def test_blank_text_is_no_piece() -> None:
    assert split_message("  \n ") == []


def test_splits_between_words_at_the_limit() -> None:
    text = " ".join(["word"] * 1000)  # 4,999 characters
    pieces = split_message(text)
    assert len(pieces) == 3
    assert all(discord_length(p) <= MESSAGE_LIMIT for p in pieces)
    assert all(p.split(" ") == ["word"] * len(p.split(" ")) for p in pieces)
    assert " ".join(pieces) == text


def test_prefers_a_paragraph_break() -> None:
    first = "a " * 600
    text = first.strip() + "\n\n" + "b " * 600
    assert split_message(text, limit=1500)[0] == first.strip()


def test_never_cuts_inside_an_emoji_or_accent() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one family emoji, 5 code points
    text = ("e\u0301" + family) * 10  # no spaces at all
    pieces = split_message(text, limit=12)
    assert "".join(pieces) == text
    for piece in pieces:
        assert discord_length(piece) <= 12
        assert not piece.startswith(("\u0301", "\u200d"))
        assert not piece.endswith("\u200d")


def test_counts_astral_characters_as_two() -> None:
    assert discord_length("\U0001f600") == 2
    assert all(discord_length(p) <= 10 for p in split_message("\U0001f600" * 12, limit=10))


def test_does_not_split_an_escape_from_its_character() -> None:
    pieces = split_message("ab\\*cd", limit=3)
    assert "".join(pieces) == "ab\\*cd"
    assert not any(p.endswith("\\") for p in pieces)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400), st.integers(5, 60))
def test_pieces_fit_and_keep_every_word(text: str, limit: int) -> None:
    pieces = split_message(text, limit=limit)
    assert all(p and discord_length(p) <= limit for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


def test_render_escapes_markdown_and_puts_buttons_and_file_last() -> None:
    chart = Attachment("mood.png", b"png", kind="photo")
    buttons = (Button("Yes", "yes"),)
    reply = Reply("*" + "x " * 1200, buttons=buttons, attachment=chart, personal=True)
    first, last = render([reply])
    assert first.content is not None and first.content.startswith("\\*")
    assert (first.buttons, first.attachment) == ((), None)
    assert (last.buttons, last.attachment) == (buttons, chart)
    assert first.personal and last.personal


def test_render_keeps_a_file_without_text_and_drops_empty_replies() -> None:
    chart = Attachment("mood.png", b"png")
    parts = render([Reply(""), Reply("", attachment=chart)])
    assert [(p.content, p.attachment) for p in parts] == [(None, chart)]
