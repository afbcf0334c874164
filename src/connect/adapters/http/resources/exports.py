"""``/api/v1/exports/...``: CSV, JSON and the iCalendar feed, streamed, with ETags."""

from __future__ import annotations

from typing import ClassVar

import falcon

from connect.adapters.http import params
from connect.adapters.http.resources import Resource
from connect.domain.errors import Unauthenticated
from connect.domain.exports import ExportFormat
from connect.services.exports import ExportService


class _ExportResource(Resource[ExportService]):
    """One export format. Subclasses name the format and how it is sent."""

    format: ClassVar[ExportFormat]
    content_type: ClassVar[str]
    filename: ClassVar[str]
    attachment: ClassVar[bool] = True
    filters: ClassVar[bool] = True

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
            since=req.get_param("since") if self.filters else None,
            status=req.get_param("status") if self.filters else None,
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
        if self.attachment:
            resp.downloadable_as = self.filename
        else:
            resp.set_header("Content-Disposition", f'inline; filename="{self.filename}"')
        resp.stream = export.chunks()


class SubmissionsCsv(_ExportResource):
    format = ExportFormat.CSV
    content_type = "text/csv; charset=utf-8"
    filename = "submissions.csv"


class SubmissionsJson(_ExportResource):
    format = ExportFormat.JSON
    content_type = "application/json"
    filename = "submissions.json"


class ScheduleIcs(_ExportResource):
    """The calendar feed: the one resource that also takes ``?key=`` (see the route table)."""

    format = ExportFormat.ICS
    content_type = "text/calendar; charset=utf-8"
    filename = "schedule.ics"
    attachment = False
    filters = False
