"""Reading the audit log (``api_audit_log_1``), the same in both SQL engines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from connect.adapters.sql.dialect import SqlStore
from connect.domain.audit import AuditEntry, AuditRecord
from connect.domain.mode import Mode

TABLE: Final = "api_audit_log_1"


class SqlAuditLog(SqlStore):
    """The audit log's reads; each engine appends a batch its own way."""

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
        d = self._dialect
        where, params = d.where(
            ("a.id <", before),
            ("a.api_key_id =", api_key_id),
            ("a.created_at >=", d.bind_instant(since)),
            ("a.created_at <", d.bind_instant(until)),
            ("k.mode =", mode.value if mode is not None else None),
        )
        rows = self._run(
            f"""SELECT a.id, a.api_key_id, a.endpoint, a.method, a.status_code, a.ip_address,
                    a.created_at, a.duration_ms, k.key_id
                FROM {TABLE} a LEFT JOIN api_keys_1 k ON k.id = a.api_key_id
                WHERE {where} ORDER BY a.id DESC LIMIT {d.mark}""",
            [*params, limit],
        ).fetchall()
        return [
            AuditRecord(
                id=row[0],
                entry=AuditEntry(
                    api_key_id=row[1],
                    endpoint=row[2],
                    method=row[3],
                    status_code=row[4],
                    ip_address=row[5],
                    created_at=d.read_at(row[6]),
                    duration_ms=row[7],
                ),
                key_id=row[8],
            )
            for row in rows
        ]
