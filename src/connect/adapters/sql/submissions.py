"""Talk submissions in ``talk_submissions_3``: what both SQL engines do the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, Final

from connect.adapters.sql.dialect import Dialect, Run, SqlStore
from connect.domain.exports.fingerprint import Fingerprint
from connect.domain.mode import Mode
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import Status, Submission

TABLE: Final = "talk_submissions_3"
COLUMNS: Final = (
    "id, speaker_name, talk_context, is_on_behalf, submitter_name, discord_channel_id, "
    "discord_invite_link, status, scheduled_date, mode, created_at, updated_at, "
    "schedule_sequence"
)
_STATUS: Final = {s.value: s for s in Status}
_MODE: Final = {m.value: m for m in Mode}

Filters = Callable[[SubmissionQuery], tuple[list[str], list[Any]]]
"""The WHERE terms (joined by AND) and parameters of a query, in one engine's SQL."""
Search = Callable[[str], tuple[str, list[Any]]]
"""The term true when the speaker's name or the talk contains the folded search text,
and its parameters, in one engine's SQL."""


def query_filters(dialect: Dialect, search: Search) -> Filters:
    """An engine's ``Filters``: ``SubmissionQuery.matches`` as WHERE terms."""

    def terms(query: SubmissionQuery) -> tuple[list[str], list[Any]]:
        m = dialect.mark
        where: list[str] = [f"mode = {m}"]
        params: list[Any] = [query.mode.value]
        if query.statuses is not None:
            term, statuses = dialect.any_of("status", sorted(s.value for s in query.statuses))
            where.append(term)
            params.extend(statuses)
        if (since := query.since) is not None:
            # NOTE: stored instants are whole seconds, so created_at >= since is
            # created_at >= since rounded up to a whole second.
            if since.microsecond:
                since = since.replace(microsecond=0) + timedelta(seconds=1)
            where.append(f"created_at >= {m}")
            params.append(dialect.bind_instant(since))
        if (text := query.folded_search) is not None:
            term, searched = search(text)
            where.append(term)
            params.extend(searched)
        return where, params

    return terms


def submission_from_values(row: Sequence[Any], dialect: Dialect) -> Submission:
    """A submission from a row selected with ``COLUMNS``.

    NOTE: exports run this once per row of a whole mode: lookups by dict, no enum call.
    """
    created = dialect.read_at(row[10])
    return Submission(
        id=row[0],
        speaker_name=row[1],
        talk_context=row[2],
        is_on_behalf=bool(row[3]),
        submitter_name=row[4],
        discord_channel_id=row[5],
        discord_invite_link=row[6],
        status=_STATUS[row[7]],
        scheduled_date=dialect.read_day(row[8]),
        mode=_MODE[row[9]],
        created_at=created,
        updated_at=dialect.read_moment(row[11]) or created,
        schedule_sequence=row[12],
    )


class SqlSubmissionStore(SqlStore):
    """Submissions over one connection; each engine adds and streams its own way.

    Args:
        filters: the engine's rendering of a ``SubmissionQuery``.
    """

    def __init__(self, run: Run, dialect: Dialect, filters: Filters) -> None:
        super().__init__(run, dialect)
        self._filters = filters

    def _all(self, sql: str, params: Sequence[Any]) -> list[Submission]:
        """The submissions ``sql`` (which selects ``COLUMNS``) reads, in any order."""
        rows = self._run(sql, params).fetchall()
        return [submission_from_values(row, self._dialect) for row in rows]

    def _derived(self, submission: Submission) -> dict[str, Any]:
        """The columns, beyond the submission's fields, a save writes."""
        return {}

    def get(self, id: int, mode: Mode) -> Submission | None:
        m = self._dialect.mark
        found = self._all(
            f"SELECT {COLUMNS} FROM {TABLE} WHERE id = {m} AND mode = {m}", [id, mode.value]
        )
        return found[0] if found else None

    def save(self, submission: Submission) -> None:
        m, d = self._dialect.mark, self._dialect
        derived = self._derived(submission)
        self._run(
            f"""UPDATE {TABLE} SET speaker_name = {m}, talk_context = {m}, is_on_behalf = {m},
                submitter_name = {m}, discord_channel_id = {m}, discord_invite_link = {m},
                status = {m}, scheduled_date = {m}, updated_at = {m}, schedule_sequence = {m}
                {"".join(f", {column} = {m}" for column in derived)}
            WHERE id = {m}""",
            [
                submission.speaker_name,
                submission.talk_context,
                submission.is_on_behalf,
                submission.submitter_name,
                submission.discord_channel_id,
                submission.discord_invite_link,
                submission.status.value,
                d.bind_day(submission.scheduled_date),
                d.bind_instant(submission.updated_at),
                submission.schedule_sequence,
                *derived.values(),
                submission.id,
            ],
        )

    def list(
        self, query: SubmissionQuery, *, limit: int, before: int | None = None
    ) -> Sequence[Submission]:
        where, params = self._filters(query)
        if before is not None:
            where.append(f"id < {self._dialect.mark}")
            params.append(before)
        sql = (
            f"SELECT {COLUMNS} FROM {TABLE} WHERE {' AND '.join(where)} "
            f"ORDER BY id DESC LIMIT {self._dialect.mark}"
        )
        return sorted(self._all(sql, [*params, limit]), key=lambda s: s.id, reverse=True)

    def scheduled(self, mode: Mode) -> Sequence[Submission]:
        sql = (
            f"SELECT {COLUMNS} FROM {TABLE} "
            f"WHERE mode = {self._dialect.mark} AND scheduled_date IS NOT NULL"
        )
        found = self._all(sql, [mode.value])
        return sorted(found, key=lambda s: (s.scheduled_date, s.id))

    def fingerprint(self, query: SubmissionQuery) -> Fingerprint:
        where, params = self._filters(query)
        m = self._dialect.mark
        # NOTE: the second max is served by the (mode, updated_at) index: one probe.
        count, last_id, last_updated = self._run(
            f"""SELECT count(*), max(id),
                (SELECT max(updated_at) FROM {TABLE} WHERE mode = {m})
            FROM {TABLE} WHERE {" AND ".join(where)}""",
            [query.mode.value, *params],
        ).fetchone()
        return Fingerprint(
            count=count, last_id=last_id, last_updated_at=self._dialect.read_moment(last_updated)
        )
