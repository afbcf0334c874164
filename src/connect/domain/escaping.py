"""Text that is safe to write to a log line or a terminal.

Client input reaches logs (paths, header values, names) and the terminal (key names in
``connect keys list``). Written raw, a ``\\r\\n`` in it forges a log line, an ESC sequence
rewrites the operator's terminal, and a bidi override makes a line read differently from
what it holds. ``escape_controls`` spells every such character as a visible escape:

- C0 controls, DEL and C1 controls: ``\\n``, ``\\r``, ``\\t``, otherwise ``\\xHH``;
- Unicode line and paragraph separators, bidi embeddings, overrides, isolates and marks,
  and lone surrogates (which cannot even be encoded to UTF-8): ``\\uHHHH``;
- the backslash itself: ``\\\\``, so an escape in the output always means an escaped
  character and never text a client typed (the one printable ASCII character changed).

Everything else, including printable ASCII and ordinary non-ASCII text, is unchanged.
``unescape_controls`` reverses it exactly.
"""

from __future__ import annotations

import re
from typing import Final

_BIDI: Final = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS: Final = "\u2028\u2029"
# NOTE: one character class, so the common case (nothing to escape) is one regex scan.
_UNSAFE: Final = re.compile(f"[\\\\\x00-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}\ud800-\udfff]")
_SHORT: Final = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE: Final = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})")
_LONG: Final = {v[1]: k for k, v in _SHORT.items()}


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control, separator and bidi character (and ``\\``) escaped.

    The result holds no character for which ``is_unsafe`` is true, except the
    backslashes that begin escapes.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape_one, text)


def _unescape_one(match: re.Match[str]) -> str:
    body = match.group(1)
    if body in _LONG:
        return _LONG[body]
    return chr(int(body[1:], 16))


def unescape_controls(text: str) -> str:
    """The text ``escape_controls`` was given (for tools that read logs back)."""
    return _ESCAPE.sub(_unescape_one, text)


def is_unsafe(char: str) -> bool:
    """Whether ``escape_controls`` escapes this one character."""
    return _UNSAFE.fullmatch(char) is not None
