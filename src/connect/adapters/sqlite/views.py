"""Submission pages rendered by SQLite: one JSON document per row, no Python objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from connect.adapters.sqlite.submissions import TABLE, filters
from connect.domain.mode import Mode
from connect.domain.pagination import JsonPage, encode_cursor
from connect.domain.submissions import Status

# NOTE: the same members, in the same order, as domain.representation.
# submission_document; times are stored in exactly the spelling format_instant emits.
# tests/contract/test_submission_views.py holds the two to each other.
DOCUMENT = """json_object(
    'id', id,
    'speaker_name', speaker_name,
    'talk_context', talk_context,
    'is_on_behalf', json(CASE WHEN is_on_behalf THEN 'true' ELSE 'false' END),
    'submitter_name', submitter_name,
    'discord_channel_id', discord_channel_id,
    'discord_invite_link', discord_invite_link,
    'status', status,
    'scheduled_date', scheduled_date,
    'mode', mode,
    'created_at', created_at,
    'updated_at', updated_at
)"""


class SqliteSubmissionViews:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def page(
        self,
        mode: Mode,
        *,
        limit: int,
        before: int | None = None,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
    ) -> JsonPage:
        where, params = filters(mode, statuses, since)
        if before is not None:
            where.append("id < ?")
            params.append(before)
        # NOTE: the whole page comes back as one value: Python's sqlite3 releases the
        # GIL once per fetched row, and under a threaded server every release means
        # queueing to take it back. The subquery has a LIMIT, so SQLite cannot flatten
        # it and feeds the aggregate in its ORDER BY order (a contract test checks).
        sql = f"""
            SELECT json_group_array(json(document)), count(*), min(id)
            FROM (
                SELECT id, {DOCUMENT} AS document FROM {TABLE}
                WHERE {" AND ".join(where)} ORDER BY id DESC LIMIT ?
            )"""
        items, count, last_id = self._db.execute(sql, [*params, limit]).fetchone()
        more = count == limit and self._has_more(where, params, last_id)
        return JsonPage(items, encode_cursor(last_id) if more else None)

    def _has_more(self, where: list[str], params: list[Any], last_id: int) -> bool:
        sql = f"SELECT 1 FROM {TABLE} WHERE {' AND '.join([*where, 'id < ?'])} LIMIT 1"
        return self._db.execute(sql, [*params, last_id]).fetchone() is not None
