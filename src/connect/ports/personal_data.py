"""Where speakers' personal data is copied, for retention and erasure."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from connect.domain.mode import Mode
from connect.domain.retention import Census, Erased, Purged


class PersonalDataStore(Protocol):
    def census(self) -> Census:
        """How many events, deliveries, snippets and audit entries are stored."""
        ...

    def purge(self, limit: datetime, *, dry_run: bool = False) -> Purged:
        """Remove what is past retention at ``limit`` (``domain.retention``): finished
        deliveries with their attempts, response snippets of older attempts, audit
        entries, and feed events no kept delivery needs. ``dry_run`` only counts."""
        ...

    def erase_submission(self, id: int, mode: Mode, now: datetime) -> Erased:
        """Delete the submission ``id`` of ``mode`` and scrub every stored copy of its
        data: feed event bodies and delivery payloads keep only its id, the deliveries
        still to be attempted are cancelled, response snippets of its deliveries are
        cleared, and idempotency records pointing at it go."""
        ...
