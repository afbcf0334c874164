"""``/api/v1/events`` (the event feed) and ``/api/v1/event-types`` (the catalog)."""

from __future__ import annotations

import json
from typing import Any

import falcon

from connect.adapters.http import params
from connect.adapters.http.openapi.event_catalog import event_catalog
from connect.adapters.http.resources import Resource
from connect.services.feed import FeedQuery, FeedService


class EventFeed(Resource[FeedService]):
    """``GET /api/v1/events?after=&types=&limit=``: oldest first; each item is the
    exact body a webhook of that event carries."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        principal = req.context.principal
        query = FeedQuery.parse(req.get_param("after"), req.get_param("types"), params.limit(req))
        # NOTE: private data: shared caches must not keep it; pollers revalidate with
        # If-None-Match, which costs one indexed read.
        resp.cache_control = ["private", "no-cache"]
        resp.vary = ["Authorization"]
        etag = self._service.etag(principal, query)
        if params.not_modified(req, etag):
            resp.etag = etag
            resp.status = falcon.HTTP_304
            return
        page = self._service.page(principal, query)
        resp.etag = page.etag
        if page.more:
            params.link_next(req, resp, page.next_cursor, "after")
        bodies = ",".join(e.body.decode() for e in page.events)
        resp.content_type = falcon.MEDIA_JSON
        resp.text = (
            f'{{"data": [{bodies}], "next_cursor": {json.dumps(page.next_cursor)}, '
            f'"has_more": {json.dumps(page.more)}}}'
        )


class EventTypes:
    """``GET /api/v1/event-types``: public reference data, from the OpenAPI document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._body = json.dumps({"data": event_catalog(document), "next_cursor": None})

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.text = self._body
