from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from attrs import asdict

from connect.adapters.memory.state import MemoryState
from connect.domain.audit import AuditEntry, AuditRecord
from connect.domain.mode import Mode
from connect.domain.time import truncate_to_second


class MemoryAuditLog:
    """Rows are dicts shaped like ``api_audit_log_1``, times at second precision."""

    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def append(self, entries: Sequence[AuditEntry]) -> None:
        for entry in entries:
            row = asdict(entry)
            row["created_at"] = truncate_to_second(entry.created_at)
            row["id"] = self._state.next_id("audit")
            self._state.audit.append(row)

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
        found: list[AuditRecord] = []
        for row in reversed(self._state.audit):
            if len(found) >= limit:
                break
            if before is not None and row["id"] >= before:
                continue
            if api_key_id is not None and row["api_key_id"] != api_key_id:
                continue
            if since is not None and row["created_at"] < truncate_to_second(since):
                continue
            if until is not None and row["created_at"] >= truncate_to_second(until):
                continue
            key = self._state.keys.get(row["api_key_id"]) if row["api_key_id"] else None
            if mode is not None and (key is None or key.mode is not mode):
                continue
            fields = {k: v for k, v in row.items() if k != "id"}
            found.append(AuditRecord(row["id"], AuditEntry(**fields), key.key_id if key else None))
        return found
