"""Reading request bodies: a size limit, JSON objects only, clear errors."""

from __future__ import annotations

import json
from typing import Any, Final

import falcon

from connect.adapters.http.problems import Problem, bad_request, too_large

MAX_BODY: Final = 1024 * 1024


class BodyLimit:
    """Refuse a body over the limit before anything reads it (413)."""

    def __init__(self, limit: int = MAX_BODY) -> None:
        self.limit = limit

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        if req.content_length is not None and req.content_length > self.limit:
            raise too_large(self.limit)


def read_json(req: falcon.Request, *, allow_empty: bool = False) -> dict[str, Any]:
    """The body as a JSON object.

    Raises:
        Problem: 413 over the limit, 400 not JSON, 422 JSON that is not an object.

    NOTE: the body is parsed as JSON whatever the Content-Type says, as GitHub does:
    ``curl -d`` sends a form type by default and a newcomer should not trip on it.
    """
    raw = req.bounded_stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise too_large(MAX_BODY)
    if not raw.strip():
        if allow_empty:
            return {}
        raise bad_request("the request needs a JSON body")
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise bad_request(f"the body is not valid JSON: {e}") from None
    if not isinstance(document, dict):
        raise Problem(422, "validation-failed", "Invalid fields", "the body must be a JSON object")
    return document
