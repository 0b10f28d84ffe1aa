"""Splitting for Telegram's 4096 UTF-16-unit limit, and group command addressing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.text import MESSAGE_LIMIT, addressed_command, split_text, utf16_len


def test_utf16_length_counts_astral_characters_twice():
    assert utf16_len("abc") == 3
    assert utf16_len("é") == 1
    assert utf16_len("💪") == 2
    assert utf16_len("👩‍💻") == 5


def test_short_text_is_one_chunk_and_blank_text_none():
    assert split_text("Hello there") == ["Hello there"]
    assert split_text("x" * MESSAGE_LIMIT) == ["x" * MESSAGE_LIMIT]
    assert split_text("  \n ") == []


def test_split_prefers_paragraphs_then_lines_then_spaces():
    assert split_text("one two\n\nthree four", limit=12) == ["one two", "three four"]
    assert split_text("alpha beta\ngamma delta", limit=16) == ["alpha beta", "gamma delta"]
    assert split_text("alpha beta gamma", limit=11) == ["alpha beta", "gamma"]


def test_split_never_cuts_a_word_that_fits():
    text = "word " * 2000
    chunks = split_text(text)
    assert all(utf16_len(c) <= MESSAGE_LIMIT for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_limit_is_in_utf16_units_not_characters():
    text = "💪" * 3000  # 6000 UTF-16 units, no spaces
    chunks = split_text(text)
    assert [utf16_len(c) for c in chunks] == [4096, 1904]
    assert "".join(chunks) == text


def test_overlong_word_is_cut_between_characters_not_inside_one():
    family = "👩\u200d👩\u200d👧"
    text = "a" * 4094 + family
    chunks = split_text(text)
    assert "".join(chunks) == text
    assert family in chunks[-1]
    assert all(utf16_len(c) <= MESSAGE_LIMIT for c in chunks)


def test_combining_marks_stay_with_their_letter():
    text = "a" * 4095 + "e\u0301" + "b"
    chunks = split_text(text)
    assert chunks[-1].startswith("e\u0301")


def test_limit_must_hold_a_surrogate_pair():
    with pytest.raises(ValueError):
        split_text("abc", limit=1)


words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
    min_size=1,
    max_size=12,
)
separators = st.sampled_from([" ", "\n", "\n\n", "  "])


@given(st.lists(st.tuples(words, separators), max_size=80), st.integers(24, 200))
def test_split_keeps_every_word_whole_and_within_the_limit(pieces, limit):
    text = "".join(word + sep for word, sep in pieces)
    chunks = split_text(text, limit=limit)
    assert all(0 < utf16_len(c) <= limit for c in chunks)
    assert [w for c in chunks for w in c.split()] == text.split()


@given(st.text(max_size=600), st.integers(2, 120))
def test_split_loses_nothing_but_whitespace_at_breaks(text, limit):
    chunks = split_text(text, limit=limit)
    assert all(0 < utf16_len(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/mood 3 rough day", "/mood 3 rough day"),
        ("/mood@rebound_bot 3", "/mood 3"),
        ("/mood@Rebound_Bot", "/mood"),
        ("/mood@other_bot 3", None),
        ("just talking", "just talking"),
        ("/strengths add kind\nand patient", "/strengths add kind\nand patient"),
    ],
)
def test_addressed_command(text, expected):
    assert addressed_command(text, "rebound_bot") == expected
