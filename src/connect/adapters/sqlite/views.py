"""Submission pages rendered by SQLite: one JSON document per row, no Python objects.

Each row carries its API document, kept current by triggers (schema migration 5); a
page is those documents joined into an array.
"""

from __future__ import annotations

import sqlite_utils

from connect.adapters.sqlite.submissions import TABLE, filters, register_fold
from connect.domain.pagination import JsonPage, encode_cursor
from connect.domain.submission_query import SubmissionQuery


class SqliteSubmissionViews:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        register_fold(db)

    def page(self, query: SubmissionQuery, *, limit: int, before: int | None = None) -> JsonPage:
        where, params = filters(query)
        scope, scope_params = " AND ".join(where), list(params)
        if before is not None:
            where.append("id < ?")
            params.append(before)
        # NOTE: the whole page, and whether another one follows, come back as one row
        # of one statement: Python's sqlite3 releases the GIL for every statement and
        # every fetched row, and under a threaded server every release means queueing
        # to take it back. The subquery has a LIMIT, so SQLite cannot flatten it and
        # feeds the aggregate in its ORDER BY order (a contract test checks). The stored
        # documents are joined as text: nothing is built or parsed per request.
        sql = f"""
            SELECT items, last_id,
                EXISTS(SELECT 1 FROM {TABLE} WHERE {scope} AND id < last_id)
            FROM (
                SELECT '[' || coalesce(group_concat(document, ','), '') || ']' AS items,
                    min(id) AS last_id
                FROM (
                    SELECT id, document FROM {TABLE} WHERE {" AND ".join(where)}
                    ORDER BY id DESC LIMIT ?
                )
            )"""
        items, last_id, more = self._db.execute(sql, [*scope_params, *params, limit]).fetchone()
        return JsonPage(items, encode_cursor(last_id) if more else None)
