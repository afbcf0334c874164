"""Storage of talk submissions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from connect.domain.exports.fingerprint import Fingerprint
from connect.domain.mode import Mode
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import NewSubmission, Submission


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
        self, query: SubmissionQuery, *, limit: int, before: int | None = None
    ) -> Sequence[Submission]:
        """Up to ``limit`` submissions ``query`` matches, newest (highest id) first,
        ids below ``before``."""
        ...

    def scheduled(self, mode: Mode) -> Sequence[Submission]:
        """Scheduled talks ordered by date, then id."""
        ...

    def stream(self, query: SubmissionQuery) -> Iterator[Submission]:
        """Every submission ``query`` matches, oldest first, without holding them all
        in memory.

        Closing the iterator (``close()``, when it has one) releases what it holds.
        """
        ...

    def fingerprint(self, query: SubmissionQuery) -> Fingerprint:
        """How many submissions ``query`` matches, the highest matching id, and the
        latest ``updated_at`` in its mode (matching or not), read cheaply (no row is
        loaded)."""
        ...
