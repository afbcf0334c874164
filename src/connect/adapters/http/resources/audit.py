from __future__ import annotations

from typing import Any

import falcon

from connect.adapters.http import params
from connect.domain.audit import AuditRecord
from connect.domain.time import format_instant, parse_since
from connect.services.audit import AuditService


def audit_document(record: AuditRecord) -> dict[str, Any]:
    entry = record.entry
    return {
        "id": record.id,
        "api_key_id": entry.api_key_id,
        "key_id": record.key_id,
        "endpoint": entry.endpoint,
        "method": entry.method,
        "status_code": entry.status_code,
        "ip_address": entry.ip_address,
        "duration_ms": entry.duration_ms,
        "created_at": format_instant(entry.created_at),
    }


class AuditCollection:
    """``GET /api/v1/audit``: newest first; ``key``, ``since``, ``until`` filters."""

    def __init__(self, audit: AuditService) -> None:
        self._audit = audit

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        until = req.get_param("until")
        page = self._audit.list(
            req.context.principal,
            limit=params.limit(req),
            cursor=req.get_param("cursor"),
            key=req.get_param("key") or None,
            since=params.since(req),
            until=parse_since(until, "until") if until else None,
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = {
            "data": [audit_document(r) for r in page.items],
            "next_cursor": page.next_cursor,
        }
