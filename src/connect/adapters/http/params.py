"""Query parameters (parsed once, bad values reported as 422 field problems), the next
page's link and conditional requests."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

import falcon

from connect.domain.pagination import parse_limit
from connect.domain.time import parse_since


def limit(req: falcon.Request) -> int:
    return parse_limit(req.get_param("limit"))


def since(req: falcon.Request, name: str = "since") -> datetime | None:
    # NOTE: blank is no filter, as it is for the submission filters.
    text = (req.get_param(name) or "").strip()
    return parse_since(text, name) if text else None


def link_next(
    req: falcon.Request, resp: falcon.Response, next_cursor: str | None, param: str = "cursor"
) -> None:
    """``Link: <...&cursor=...>; rel="next"`` when there is a next page."""
    if next_cursor is None:
        return
    query = {k: v for k, v in req.params.items() if k not in (param, "key")}
    query[param] = next_cursor
    url = f"{req.prefix}{req.path}?{urlencode(query, doseq=True)}"
    resp.append_link(url, "next")


def not_modified(req: falcon.Request, etag: str | None) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    tags = req.if_none_match
    if not tags or etag is None:
        return False
    return any(str(tag) in ("*", etag) for tag in tags)
