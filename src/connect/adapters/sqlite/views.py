"""Submission pages rendered by SQLite; each row's document is kept current by
triggers (schema migration 5)."""

from __future__ import annotations

import sqlite_utils

from connect.adapters.sql.views import SqlSubmissionViews
from connect.adapters.sqlite.rows import SQLITE
from connect.adapters.sqlite.submissions import filters, register_fold


class SqliteSubmissionViews(SqlSubmissionViews):
    def __init__(self, db: sqlite_utils.Database) -> None:
        # NOTE: the page's subquery has a LIMIT, so SQLite cannot flatten it and feeds
        # the aggregate in its ORDER BY order (a contract test checks).
        super().__init__(db.execute, SQLITE, filters, joined="group_concat(document, ',')")
        register_fold(db)
