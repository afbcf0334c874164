"""Submission pages rendered by PostgreSQL from the stored documents.

Each row carries its API document, written by the submission store with the domain's
own rendering on every add and save; a page is those documents joined into an array.
"""

from __future__ import annotations

from typing import Any

import psycopg

from connect.adapters.postgres.submissions import TABLE, filters
from connect.domain.pagination import JsonPage, encode_cursor
from connect.domain.submission_query import SubmissionQuery


class PostgresSubmissionViews:
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn

    def page(self, query: SubmissionQuery, *, limit: int, before: int | None = None) -> JsonPage:
        where, params = filters(query)
        scope, scope_params = " AND ".join(where), list(params)
        if before is not None:
            where.append("id < %s")
            params.append(before)
        # NOTE: the page and whether another follows in one round trip; the documents
        # are joined as text (string_agg keeps its own ORDER BY), nothing is parsed.
        sql = f"""
            SELECT items, last_id,
                EXISTS(SELECT 1 FROM {TABLE} WHERE {scope} AND id < last_id)
            FROM (
                SELECT '[' || coalesce(string_agg(document, ',' ORDER BY id DESC), '')
                    || ']' AS items,
                    min(id) AS last_id
                FROM (
                    SELECT id, document FROM {TABLE} WHERE {" AND ".join(where)}
                    ORDER BY id DESC LIMIT %s
                ) AS page
            ) AS joined"""
        row = self._conn.execute(sql, [*scope_params, *params, limit]).fetchone()
        assert row is not None
        items, last_id, more = row
        return JsonPage(items, encode_cursor(last_id) if more else None)
