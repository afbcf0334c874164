"""Submission pages rendered by PostgreSQL; each row's document is written by the
submission store with the domain's own rendering on every add and save."""

from __future__ import annotations

from typing import Any

import psycopg

from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.postgres.submissions import filters
from connect.adapters.sql.views import SqlSubmissionViews


class PostgresSubmissionViews(SqlSubmissionViews):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        # NOTE: string_agg keeps its own ORDER BY.
        joined = "string_agg(document, ',' ORDER BY id DESC)"
        super().__init__(conn.execute, POSTGRES, filters, joined=joined)
