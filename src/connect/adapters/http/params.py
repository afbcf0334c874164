"""Query parameters: parsed once, bad values reported as 422 field problems."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

import falcon

from connect.domain.pagination import parse_limit
from connect.domain.time import parse_since


def limit(req: falcon.Request) -> int:
    return parse_limit(req.get_param("limit"))


def since(req: falcon.Request) -> datetime | None:
    text = req.get_param("since")
    return parse_since(text) if text else None


def link_next(req: falcon.Request, resp: falcon.Response, next_cursor: str | None) -> None:
    """``Link: <...&cursor=...>; rel="next"`` when there is a next page."""
    if next_cursor is None:
        return
    query = {k: v for k, v in req.params.items() if k not in ("cursor", "key")}
    query["cursor"] = next_cursor
    url = f"{req.prefix}{req.path}?{urlencode(query, doseq=True)}"
    resp.append_link(url, "next")
