"""Escaping text for log lines and terminals: no control character gets through."""

from __future__ import annotations

import string
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from connect.domain.escaping import escape_controls, is_unsafe, unescape_controls

PRINTABLE_ASCII = st.text(alphabet=[c for c in string.printable if c not in "\\\t\n\r\x0b\x0c"])
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()))


def dangerous(char: str) -> bool:
    """Controls (C0, DEL, C1), line/paragraph separators, bidi formatting, surrogates."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs") or unicodedata.bidirectional(
        char
    ) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM")


@given(ANY_TEXT)
@example("GET /x\r\n2026-01-01 INFO connect.http forged")
@example("\x1b]0;owned\x07\x1b[2J")
@example("admin\u202egnp.exe")
@example("a\u2028b\x85c\x7fd\udc80")
def test_escaped_text_holds_no_control_separator_or_bidi_character(text: str) -> None:
    escaped = escape_controls(text)
    assert not any(dangerous(c) for c in escaped)
    assert all(c == "\\" or not is_unsafe(c) for c in escaped)
    escaped.encode("utf-8")  # lone surrogates are gone too


@given(PRINTABLE_ASCII)
def test_printable_ascii_other_than_the_backslash_is_unchanged(text: str) -> None:
    assert escape_controls(text) == text


@given(ANY_TEXT)
@example("\\x1b")
@example("\x1b")
@example("\\\\n\n")
def test_escaping_is_reversible_so_two_texts_never_log_the_same(text: str) -> None:
    assert unescape_controls(escape_controls(text)) == text


@given(ANY_TEXT, ANY_TEXT)
def test_different_texts_escape_differently(first: str, second: str) -> None:
    if first != second:
        assert escape_controls(first) != escape_controls(second)


def test_a_client_cannot_type_what_looks_like_an_escaped_newline() -> None:
    assert escape_controls("a\nb") == "a\\nb"
    assert escape_controls("a\\nb") == "a\\\\nb"
    assert escape_controls("\x1b[31m") == "\\x1b[31m"
    assert escape_controls("\u202e") == "\\u202e"
    assert escape_controls("Zoë 東京 🦀") == "Zoë 東京 🦀"
