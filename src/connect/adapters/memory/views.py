from __future__ import annotations

import json
from datetime import datetime

from connect.adapters.memory.submissions import MemorySubmissionStore
from connect.domain.mode import Mode
from connect.domain.pagination import JsonPage, encode_cursor
from connect.domain.representation import submission_document
from connect.domain.submissions import Status


class MemorySubmissionViews:
    def __init__(self, submissions: MemorySubmissionStore) -> None:
        self._submissions = submissions

    def page(
        self,
        mode: Mode,
        *,
        limit: int,
        before: int | None = None,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
        search: str | None = None,
    ) -> JsonPage:
        rows = self._submissions.list(
            mode, limit=limit + 1, before=before, statuses=statuses, since=since, search=search
        )
        items = [submission_document(s) for s in rows[:limit]]
        more = len(rows) > limit
        return JsonPage(json.dumps(items), encode_cursor(rows[limit - 1].id) if more else None)
