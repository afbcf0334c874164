"""Talk submissions in PostgreSQL (``talk_submissions_3``).

Every write also stores the row's API document (``document``, joined by the list page)
and its search text (``search_text``), both rendered here by the domain's own functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, Final

import psycopg

from connect.adapters.postgres.instants import POSTGRES, stored
from connect.adapters.sql.submissions import (
    COLUMNS,
    TABLE,
    SqlSubmissionStore,
    query_filters,
    submission_from_values,
)
from connect.domain.errors import ValidationFailed
from connect.domain.representation import submission_document
from connect.domain.submission_query import SubmissionQuery, fold
from connect.domain.submissions import NewSubmission, Submission

# NOTE: exports read a whole mode; batches keep memory flat on both sides without a
# server-side cursor (which needs a transaction, or materialises the result WITH HOLD).
STREAM_BATCH: Final = 1000

_TEXT_FIELDS: Final = (
    "speaker_name",
    "talk_context",
    "submitter_name",
    "discord_channel_id",
    "discord_invite_link",
)

# NOTE: search must not match across the end of the name and the start of the talk.
# The boundary is a character no case-folded text contains (casefold maps ẞ to "ss",
# and folding is idempotent), and search text is folded, so no query can contain it.
BOUNDARY: Final = "\N{LATIN CAPITAL LETTER SHARP S}"


def document_text(submission: Submission) -> str:
    """The API document of a submission, as stored: the same members as the API
    renders (``domain.representation``), compact, UTF-8 kept (as SQLite's json_object)."""
    return json.dumps(submission_document(submission), ensure_ascii=False, separators=(",", ":"))


def search_text(speaker_name: str, talk_context: str) -> str:
    """What search looks in: both fields folded by the domain, split by ``BOUNDARY``."""
    return f"{fold(speaker_name)}{BOUNDARY}{fold(talk_context)}"


def _refuse_nul(fields: NewSubmission | Submission) -> None:
    # NOTE: PostgreSQL text cannot hold U+0000 (SQLite can). Refusing it as a field
    # error is a 422 for the caller instead of a driver error.
    for field in _TEXT_FIELDS:
        value = getattr(fields, field)
        if value is not None and "\x00" in value:
            raise ValidationFailed.single(field, "must not contain the NUL character")


def _search(text: str) -> tuple[str, list[Any]]:
    if "\x00" in text:
        return "false", []  # NOTE: no stored text holds U+0000; PostgreSQL refuses it.
    return "strpos(search_text, %s) > 0", [text]


filters = query_filters(POSTGRES, _search)


class PostgresSubmissionStore(SqlSubmissionStore):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        super().__init__(conn.execute, POSTGRES, filters)

    def _derived(self, submission: Submission) -> dict[str, Any]:
        # NOTE: mode and created_at never change, so the submission's own are the row's
        # and its document is rendered from it alone.
        return {
            "document": document_text(submission),
            "search_text": search_text(submission.speaker_name, submission.talk_context),
        }

    def add(self, new: NewSubmission) -> Submission:
        _refuse_nul(new)
        # NOTE: the document names the id, so the id is drawn first: two round trips,
        # but the row is written once, complete (no second version to vacuum).
        row = self._run(
            "SELECT nextval(pg_get_serial_sequence('talk_submissions_3', 'id'))"
        ).fetchone()
        assert row is not None
        submission = Submission.from_new(new, int(row[0]))
        created = stored(new.created_at)
        self._run(
            f"""INSERT INTO {TABLE} (id, speaker_name, talk_context, is_on_behalf,
                submitter_name, discord_channel_id, discord_invite_link, created_at,
                updated_at, status, mode, document, search_text)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'pending', %s, %s, %s)""",
            [
                submission.id,
                new.speaker_name,
                new.talk_context,
                new.is_on_behalf,
                new.submitter_name,
                new.discord_channel_id,
                new.discord_invite_link,
                created,
                created,
                new.mode.value,
                document_text(submission),
                search_text(new.speaker_name, new.talk_context),
            ],
        )
        return submission

    def save(self, submission: Submission) -> None:
        _refuse_nul(submission)
        super().save(submission)

    def stream(self, query: SubmissionQuery) -> Iterator[Submission]:
        where, params = filters(query)
        sql = (
            f"SELECT {COLUMNS} FROM {TABLE} WHERE {' AND '.join(where)} AND id > %s "
            "ORDER BY id LIMIT %s"
        )
        return self._batches(sql, params)

    def _batches(self, sql: str, params: Sequence[Any]) -> Iterator[Submission]:
        # NOTE: each batch is its own statement (outside a transaction, its own
        # snapshot): rows added during a long export are included, none is repeated or
        # skipped, and the connection is free between batches.
        after = 0
        while True:
            rows = self._run(sql, [*params, after, STREAM_BATCH]).fetchall()
            for row in rows:
                yield submission_from_values(row, POSTGRES)
            if len(rows) < STREAM_BATCH:
                return
            after = rows[-1][0]
