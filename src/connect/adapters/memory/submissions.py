from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from attrs import evolve

from connect.adapters.memory.state import MemoryState
from connect.domain.exports.fingerprint import Fingerprint
from connect.domain.mode import Mode
from connect.domain.submissions import NewSubmission, Status, Submission, matches_search


class MemorySubmissionStore:
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

    def _matching(
        self, mode: Mode, statuses: frozenset[Status] | None, since: datetime | None
    ) -> list[Submission]:
        return [
            s
            for s in self._state.submissions.values()
            if s.mode is mode
            and (statuses is None or s.status in statuses)
            and (since is None or s.created_at >= since)
        ]

    def list(
        self,
        mode: Mode,
        *,
        limit: int,
        before: int | None = None,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
        search: str | None = None,
    ) -> Sequence[Submission]:
        rows = [
            s
            for s in self._matching(mode, statuses, since)
            if (before is None or s.id < before) and (search is None or matches_search(s, search))
        ]
        return sorted(rows, key=lambda s: s.id, reverse=True)[:limit]

    def scheduled(self, mode: Mode) -> Sequence[Submission]:
        rows = [s for s in self._matching(mode, None, None) if s.scheduled_date is not None]
        return sorted(rows, key=lambda s: (s.scheduled_date, s.id))

    def stream(
        self,
        mode: Mode,
        *,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
    ) -> Iterator[Submission]:
        return iter(sorted(self._matching(mode, statuses, since), key=lambda s: s.id))

    def fingerprint(
        self,
        mode: Mode,
        *,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
    ) -> Fingerprint:
        matching = self._matching(mode, statuses, since)
        in_mode = self._matching(mode, None, None)
        return Fingerprint(
            count=len(matching),
            last_id=max((s.id for s in matching), default=None),
            last_updated_at=max((s.updated_at for s in in_mode), default=None),
        )
