"""Submissions as CSV: RFC 4180, UTF-8, and guarded against spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Final

from connect.domain.submissions import Submission
from connect.domain.time import format_instant

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
ROWS_PER_CHUNK: Final = 500


def guard(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _text(value: str | None) -> str:
    return "" if value is None else guard(value)


def row_cells(submission: Submission) -> list[str]:
    """The cells of one submission, in ``COLUMNS`` order, as they are written."""
    return [
        str(submission.id),
        _text(submission.speaker_name),
        _text(submission.talk_context),
        "true" if submission.is_on_behalf else "false",
        _text(submission.submitter_name),
        _text(submission.discord_channel_id),
        format_instant(submission.created_at),
        submission.scheduled_date.isoformat() if submission.scheduled_date else "",
    ]


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
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    for submission in submissions:
        writer.writerow(row_cells(submission))
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()
