"""Storage of talk submissions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

from connect.domain.exports.fingerprint import Fingerprint
from connect.domain.mode import Mode
from connect.domain.submissions import NewSubmission, Status, Submission


class SubmissionStore(Protocol):
    def add(self, new: NewSubmission) -> Submission:
        """Store a new submission and return it with its id (ids only grow)."""
        ...

    def get(self, id: int, mode: Mode) -> Submission | None:
        """The submission with ``id`` in ``mode``, or ``None``."""
        ...

    def save(self, submission: Submission) -> None:
        """Overwrite a stored submission's mutable fields."""
        ...

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
        """Up to ``limit`` submissions, newest (highest id) first, ids below ``before``,
        with a status in ``statuses`` (all when ``None``), created at or after ``since``,
        and, given ``search`` (text already folded by ``domain.submissions.parse_search``),
        only those where ``domain.submissions.matches_search`` holds."""
        ...

    def scheduled(self, mode: Mode) -> Sequence[Submission]:
        """Scheduled talks ordered by date, then id."""
        ...

    def stream(
        self,
        mode: Mode,
        *,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
    ) -> Iterator[Submission]:
        """Every matching submission, oldest first, without holding them all in memory.

        Closing the iterator (``close()``, when it has one) releases what it holds.
        """
        ...

    def fingerprint(
        self,
        mode: Mode,
        *,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
    ) -> Fingerprint:
        """How many submissions match, the highest matching id, and the latest
        ``updated_at`` in ``mode`` (matching or not), read cheaply (no row is loaded)."""
        ...
