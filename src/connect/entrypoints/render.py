"""Plain-text tables for the terminal; every cell is escaped (``escape_controls``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from connect.domain.escaping import escape_controls


def print_table(out: TextIO, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    # NOTE: names come from API callers; an ESC or bidi override in one must not
    # reach the operator's terminal as a control sequence.
    cells = [
        [("" if r.get(c) is None else escape_controls(str(r.get(c)))) for c in columns]
        for r in rows
    ]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    print(
        "  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        file=out,
    )
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip(), file=out)
    if not rows:
        print("(none)", file=out)
