"""The audit log entry document."""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen

from connect.domain.audit import AuditRecord
from connect.domain.shapes import describe, project


@frozen
class AuditEntryDocument:
    """One /api/v1 request. Never a token, never the raw URL or its query."""

    id: int = field(metadata=describe("Grows in writing order.", minimum=1))
    api_key_id: int | None = field(
        metadata=describe("The calling key's number; null if none.", example=7)
    )
    key_id: str | None = field(
        metadata=describe("The calling key's key_id.", example="rnc_live_Ab3dE9xQ")
    )
    endpoint: str = field(
        metadata=describe("The route template.", example="/api/v1/submissions/{id}")
    )
    method: str = field(metadata=describe("The HTTP method.", example="GET"))
    status_code: int = field(
        metadata=describe("The answer's status.", example=200, minimum=100, maximum=599)
    )
    ip_address: str | None = field(metadata=describe("The client.", example="203.0.113.7"))
    duration_ms: float = field(metadata=describe("Time to answer.", example=4.2, minimum=0))
    created_at: datetime

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEntryDocument:
        return project(cls, record.entry, id=record.id, key_id=record.key_id)
