"""``/api/v1/events`` (the event feed) and ``/api/v1/event-types`` (the catalog)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import falcon

from connect.adapters.http import params
from connect.adapters.http.openapi.event_catalog import event_catalog
from connect.services.feed import FeedQuery, FeedService


def _not_modified(req: falcon.Request, etag: str) -> bool:
    tags = req.if_none_match or []
    return any(str(tag) in ("*", etag) for tag in tags)


class EventFeed:
    """``GET /api/v1/events?after=&types=&limit=``: oldest first; each item is the
    exact body a webhook of that event carries."""

    def __init__(self, feed: FeedService) -> None:
        self._feed = feed

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        principal = req.context.principal
        query = FeedQuery.parse(req.get_param("after"), req.get_param("types"), params.limit(req))
        # NOTE: private data: shared caches must not keep it; pollers revalidate with
        # If-None-Match, which costs one indexed read.
        resp.cache_control = ["private", "no-cache"]
        resp.vary = ["Authorization"]
        etag = self._feed.etag(principal, query)
        if _not_modified(req, etag):
            resp.etag = etag
            resp.status = falcon.HTTP_304
            return
        page = self._feed.page(principal, query)
        resp.etag = page.etag
        if page.more and page.next_cursor is not None:
            _link_after(req, resp, page.next_cursor)
        bodies = ",".join(e.body.decode() for e in page.events)
        resp.content_type = falcon.MEDIA_JSON
        resp.text = (
            f'{{"data": [{bodies}], "next_cursor": {json.dumps(page.next_cursor)}, '
            f'"has_more": {json.dumps(page.more)}}}'
        )


def _link_after(req: falcon.Request, resp: falcon.Response, cursor: str) -> None:
    query = {k: v for k, v in req.params.items() if k not in ("after", "key")}
    query["after"] = cursor
    resp.append_link(f"{req.prefix}{req.path}?{urlencode(query, doseq=True)}", "next")


class EventTypes:
    """``GET /api/v1/event-types``: public reference data, from the OpenAPI document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._body = json.dumps({"data": event_catalog(document), "next_cursor": None})

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.text = self._body
