from __future__ import annotations

import json

from connect.adapters.memory.submissions import MemorySubmissionStore
from connect.domain.pagination import JsonPage, encode_cursor
from connect.domain.representation import submission_document
from connect.domain.submission_query import SubmissionQuery


class MemorySubmissionViews:
    def __init__(self, submissions: MemorySubmissionStore) -> None:
        self._submissions = submissions

    def page(self, query: SubmissionQuery, *, limit: int, before: int | None = None) -> JsonPage:
        rows = self._submissions.list(query, limit=limit + 1, before=before)
        items = [submission_document(s) for s in rows[:limit]]
        more = len(rows) > limit
        return JsonPage(json.dumps(items), encode_cursor(rows[limit - 1].id) if more else None)
