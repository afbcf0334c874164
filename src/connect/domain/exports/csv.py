"""Submissions as CSV: RFC 4180, UTF-8, and guarded against spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from operator import attrgetter, call
from typing import Any, Final

from connect.domain.representation import DOCUMENT_ATTRIBUTES, value_type
from connect.domain.submissions import Submission
from connect.domain.time import format_instant

# NOTE: a spreadsheet's selection of the document's fields (DOCUMENT_FIELDS), in the
# order the format has always had: the header line is part of the format.
COLUMNS: Final = (
    "id",
    "speaker_name",
    "talk_context",
    "is_on_behalf",
    "submitter_name",
    "discord_channel_id",
    "created_at",
    "scheduled_date",
)
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_SET: Final = frozenset(FORMULA_STARTS)
ROWS_PER_CHUNK: Final = 500


def guard(cell: str | None) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    if not cell:
        return ""
    return "'" + cell if cell[0] in _FORMULA_SET else cell


def _instant(moment: datetime) -> str:
    # NOTE: the same text as format_instant, several times faster for the common case
    # (an aware UTC time without microseconds), which is every stored time.
    if moment.tzinfo is UTC and not moment.microsecond and moment.year >= 1000:
        return moment.isoformat()[:19] + "Z"
    return format_instant(moment)


def _date(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


_CELL: Final[Mapping[type, Callable[[Any], str]]] = {
    str: guard,
    bool: {True: "true", False: "false"}.__getitem__,
    int: str,
    datetime: _instant,
    date: _date,
}
_TYPES: Final = {a.name: value_type(a) for a in DOCUMENT_ATTRIBUTES}
_READ: Final = attrgetter(*COLUMNS)
_WRITE: Final = tuple(_CELL[_TYPES[name]] for name in COLUMNS)


def row_cells(submission: Submission) -> list[str]:
    """The cells of one submission, in ``COLUMNS`` order, as they are written."""
    # NOTE: map() and operator.call keep the per-cell loop in C: at 100k rows a Python
    # loop per row is a third of the export's time.
    return list(map(call, _WRITE, _READ(submission)))


def csv_chunks(
    submissions: Iterable[Submission], *, rows_per_chunk: int = ROWS_PER_CHUNK
) -> Iterator[str]:
    """The CSV text in chunks: a header line, then ``rows_per_chunk`` rows at a time.

    Lines end with CRLF; a cell is quoted when it holds a comma, a quote, CR or LF.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    # NOTE: rows are gathered and written with one writerows() call per chunk: at 100k
    # rows the per-row Python overhead is most of an export's time.
    batch: list[list[str]] = []
    add, cells = batch.append, row_cells
    for submission in submissions:
        add(cells(submission))
        if len(batch) >= rows_per_chunk:
            yield _written(buffer, writer, batch)
            batch.clear()
    if batch:
        yield _written(buffer, writer, batch)


def _written(buffer: io.StringIO, writer: Any, rows: list[list[str]]) -> str:
    buffer.seek(0)
    buffer.truncate()
    writer.writerows(rows)
    return buffer.getvalue()
