from __future__ import annotations

import falcon

from connect.adapters.http import params
from connect.adapters.http.resources import Resource
from connect.presentation import page_document
from connect.presentation.audit import AuditEntryDocument
from connect.services.audit import AuditService


class AuditCollection(Resource[AuditService]):
    """``GET /api/v1/audit``: newest first; ``key``, ``since``, ``until`` filters."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._service.list(
            req.context.principal,
            limit=params.limit(req),
            cursor=req.get_param("cursor"),
            key=req.get_param("key") or None,
            since=params.since(req),
            until=params.since(req, "until"),
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page, AuditEntryDocument.of)
