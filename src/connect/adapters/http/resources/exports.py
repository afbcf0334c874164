"""``/api/v1/exports/...``: CSV, JSON and the iCalendar feed, streamed, with ETags."""

from __future__ import annotations

import falcon

from connect.adapters.http import params
from connect.adapters.http.resources import Resource
from connect.domain.errors import Unauthenticated
from connect.domain.exports import ExportFormat
from connect.services.exports import ExportService


class Export(Resource[ExportService]):
    """One export format, sent as ``content_type`` under ``filename``.

    The calendar feed is the one shown inline (calendar clients subscribe to it) and the
    one without filters; it is also the one that takes ``?key=`` (see the route table).
    """

    def __init__(
        self, exports: ExportService, format: ExportFormat, content_type: str, filename: str
    ) -> None:
        super().__init__(exports)
        self.format = format
        self.content_type = content_type
        self.filename = filename
        self.calendar = format is ExportFormat.ICS

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if not req.context.access.query_key and "key" in req.params:
            # NOTE: a key in a URL ends up in browser history, proxies and shell
            # history; only calendar clients, which cannot send headers, get that risk.
            raise Unauthenticated(
                "?key= is accepted only on /api/v1/exports/schedule.ics; "
                "send the key as Authorization: Bearer <token>"
            )
        export = self._service.prepare(
            self.format,
            mode=req.context.principal.mode,
            since=None if self.calendar else req.get_param("since"),
            status=None if self.calendar else req.get_param("status"),
        )
        if export.etag is not None:
            resp.etag = export.etag
        if export.last_modified is not None:
            resp.last_modified = export.last_modified
        # NOTE: private data: shared caches must not keep it; clients revalidate with
        # If-None-Match each time, which is cheap.
        resp.cache_control = ["private", "no-cache"]
        resp.vary = ["Authorization"]
        if params.not_modified(req, export.etag):
            resp.status = falcon.HTTP_304
            return
        resp.content_type = self.content_type
        if self.calendar:
            resp.set_header("Content-Disposition", f'inline; filename="{self.filename}"')
        else:
            resp.downloadable_as = self.filename
        resp.stream = export.chunks()
