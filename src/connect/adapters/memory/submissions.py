from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from attrs import evolve

from connect.adapters.memory.state import MemoryState, newest_first
from connect.domain.exports.fingerprint import Fingerprint
from connect.domain.mode import Mode
from connect.domain.pagination import JsonPage, encode_cursor
from connect.domain.representation import submission_document
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import NewSubmission, Submission


class MemorySubmissionStore:
    """Submissions, and their pages (``SubmissionViews``) rendered from them."""

    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, new: NewSubmission) -> Submission:
        submission = Submission.from_new(new, self._state.next_id("submissions"))
        self._state.submissions[submission.id] = submission
        return submission

    def get(self, id: int, mode: Mode) -> Submission | None:
        found = self._state.submissions.get(id)
        return found if found is not None and found.mode is mode else None

    def save(self, submission: Submission) -> None:
        stored = self._state.submissions[submission.id]
        # NOTE: id, mode and created_at never change, whatever the caller passes.
        self._state.submissions[submission.id] = evolve(
            submission, mode=stored.mode, created_at=stored.created_at
        )

    def list(
        self, query: SubmissionQuery, *, limit: int, before: int | None = None
    ) -> Sequence[Submission]:
        matching = filter(query.matches, self._state.submissions.values())
        return newest_first(matching, limit=limit, before=before)

    def page(self, query: SubmissionQuery, *, limit: int, before: int | None = None) -> JsonPage:
        rows = self.list(query, limit=limit + 1, before=before)
        items = [submission_document(s) for s in rows[:limit]]
        more = len(rows) > limit
        return JsonPage(json.dumps(items), encode_cursor(rows[limit - 1].id) if more else None)

    def scheduled(self, mode: Mode) -> Sequence[Submission]:
        rows = [
            s
            for s in self._state.submissions.values()
            if s.mode is mode and s.scheduled_date is not None
        ]
        return sorted(rows, key=lambda s: (s.scheduled_date, s.id))

    def stream(self, query: SubmissionQuery) -> Iterator[Submission]:
        matching = filter(query.matches, self._state.submissions.values())
        return iter(sorted(matching, key=lambda s: s.id))

    def fingerprint(self, query: SubmissionQuery) -> Fingerprint:
        matching = list(filter(query.matches, self._state.submissions.values()))
        in_mode = [s for s in self._state.submissions.values() if s.mode is query.mode]
        return Fingerprint(
            count=len(matching),
            last_id=max((s.id for s in matching), default=None),
            last_updated_at=max((s.updated_at for s in in_mode), default=None),
        )
