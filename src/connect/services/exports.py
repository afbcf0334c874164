"""Exports: the CSV, JSON and iCalendar views of submissions, streamed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from attrs import frozen

from connect.domain.exports import ExportFormat
from connect.domain.exports.csv import csv_chunks
from connect.domain.exports.fingerprint import entity_tag
from connect.domain.exports.ics import CalendarSettings, ics_chunks
from connect.domain.exports.json import json_chunks
from connect.domain.mode import Mode
from connect.domain.submission_query import EXPORT_STATUSES, SubmissionQuery
from connect.domain.submissions import Status, Submission
from connect.ports.system import Clock
from connect.ports.unit_of_work import UnitOfWork

Progress = Callable[[int], None]


@frozen
class Export:
    """One export, ready to send: its validators now, its bytes when iterated.

    Attributes:
        format: csv, json or ics.
        mode: whose submissions (live or test).
        etag: an opaque strong entity tag (without quotes) for the exact bytes, or
            ``None`` while the latest change is in the current second (see ``prepare``).
        last_modified: the latest change to the mode's submissions, if any.
        count: how many submissions match (a calendar holds exactly these talks).
    """

    format: ExportFormat
    mode: Mode
    etag: str | None
    last_modified: datetime | None
    count: int
    _body: Callable[[Progress | None], Iterator[bytes]]

    def chunks(self, progress: Progress | None = None) -> Iterator[bytes]:
        """The export's UTF-8 bytes in chunks, read in one read transaction.

        Storage is opened on the first ``next()`` and released when the iterator is
        exhausted or closed (a WSGI server closes it when the client goes away).

        Args:
            progress: called with the number of submissions written so far.
        """
        return self._body(progress)


@frozen(eq=False)
class ExportService:
    """Builds exports of a mode's submissions; ``calendar`` says how talks appear in the
    iCalendar feed."""

    _uow: UnitOfWork
    _clock: Clock
    _calendar: CalendarSettings

    def prepare(
        self,
        format: ExportFormat,
        *,
        mode: Mode = Mode.LIVE,
        since: str | None = None,
        status: str | None = None,
    ) -> Export:
        """An export of ``mode``'s submissions (an API key's own mode, or any for a
        trusted local caller: the CLI, an embedding app).

        The calendar feed holds every scheduled talk; ``since`` and ``status`` apply
        to csv and json only and are ignored for ics.

        Raises:
            ValidationFailed: a bad ``since`` or ``status``.
        """
        if format is ExportFormat.ICS:
            query = SubmissionQuery(mode, statuses=frozenset({Status.SCHEDULED}))
            shaped_by = [format.value, mode.value, self._calendar.key]
        else:
            query = SubmissionQuery.parse(mode, since=since, status=status, choices=EXPORT_STATUSES)
            shaped_by = [format.value, mode.value, query.key]
        # NOTE: the fingerprint is read before the rows, in its own short transaction:
        # if a write lands in between, the body is newer than its tag, so the client
        # only downloads again next time; it never keeps stale bytes under a fresh tag.
        with self._uow(write=False) as stores:
            fingerprint = stores.submissions.fingerprint(query)
        # NOTE: stored times have one-second resolution, so a change later in the same
        # second as the latest one would keep the same fingerprint. Like git's racy-index
        # rule, no tag is given until that second is over; then any later change moves
        # max(updated_at) and so the tag.
        last = fingerprint.last_updated_at
        settled = last is None or self._clock.now().replace(microsecond=0) > last
        return Export(
            format=format,
            mode=mode,
            etag=entity_tag(fingerprint, shaped_by) if settled else None,
            last_modified=fingerprint.last_updated_at,
            count=fingerprint.count,
            body=lambda progress: self._stream(format, query, progress),
        )

    def _text(self, format: ExportFormat, mode: Mode, rows: Iterable[Submission]) -> Iterator[str]:
        if format is ExportFormat.CSV:
            return csv_chunks(rows)
        if format is ExportFormat.JSON:
            return json_chunks(rows)
        return ics_chunks(rows, self._calendar, mode=mode)

    def _stream(
        self, format: ExportFormat, query: SubmissionQuery, progress: Progress | None
    ) -> Iterator[bytes]:
        with self._uow(write=False) as stores:
            rows = stores.submissions.stream(query)
            try:
                counted = rows if progress is None else _counting(rows, progress)
                for text in self._text(format, query.mode, counted):
                    # NOTE: "replace" so a lone surrogate (possible in JSON input) cannot
                    # break a response half-way; valid text is unchanged.
                    yield text.encode("utf-8", "replace")
            finally:
                close = getattr(rows, "close", None)
                if close is not None:
                    close()


def _counting(rows: Iterable[Submission], progress: Progress) -> Iterator[Submission]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % 1000 == 0:
            progress(done)
    progress(done)
