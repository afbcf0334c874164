"""Submission pages rendered by the database from the stored documents: each row
carries its API document, and a page is those documents joined into an array."""

from __future__ import annotations

from connect.adapters.sql.dialect import Dialect, Run, SqlStore
from connect.adapters.sql.submissions import TABLE, Filters
from connect.domain.pagination import JsonPage, encode_cursor
from connect.domain.submission_query import SubmissionQuery


class SqlSubmissionViews(SqlStore):
    """Pages over one connection.

    Args:
        joined: the aggregate joining the page's ``document`` texts with commas, newest
            (highest id) first.
    """

    def __init__(self, run: Run, dialect: Dialect, filters: Filters, *, joined: str) -> None:
        super().__init__(run, dialect)
        self._filters = filters
        self._joined = joined

    def page(self, query: SubmissionQuery, *, limit: int, before: int | None = None) -> JsonPage:
        m = self._dialect.mark
        where, params = self._filters(query)
        scope, scope_params = " AND ".join(where), list(params)
        if before is not None:
            where.append(f"id < {m}")
            params.append(before)
        # NOTE: the whole page, and whether another one follows, come back as one row
        # of one statement (one round trip; on SQLite one step, see sqlite/query.py).
        # The stored documents are joined as text: nothing is built or parsed per request.
        sql = f"""
            SELECT items, last_id,
                EXISTS(SELECT 1 FROM {TABLE} WHERE {scope} AND id < last_id)
            FROM (
                SELECT '[' || coalesce({self._joined}, '') || ']' AS items,
                    min(id) AS last_id
                FROM (
                    SELECT id, document FROM {TABLE} WHERE {" AND ".join(where)}
                    ORDER BY id DESC LIMIT {m}
                ) AS page
            ) AS joined"""
        items, last_id, more = self._run(sql, [*scope_params, *params, limit]).fetchone()
        return JsonPage(items, encode_cursor(last_id) if more else None)
