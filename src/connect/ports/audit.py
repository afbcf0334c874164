"""Storage of the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from connect.domain.audit import AuditEntry, AuditRecord
from connect.domain.mode import Mode


class AuditLog(Protocol):
    def append(self, entries: Sequence[AuditEntry]) -> None:
        """Store entries in order (later entries get larger ids)."""
        ...

    def list(
        self,
        *,
        limit: int,
        before: int | None = None,
        api_key_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        mode: Mode | None = None,
    ) -> Sequence[AuditRecord]:
        """Up to ``limit`` entries, newest first, ids below ``before``; ``since``
        inclusive and ``until`` exclusive on ``created_at``; with a ``mode``, only the
        requests of that mode's keys. Each record carries the
        public ``key_id`` of its key when the key still exists."""
        ...
