"""Reading request bodies: a size limit, JSON objects only, clear errors."""

from __future__ import annotations

import json
import re
from typing import Any, Final

import falcon

from connect.adapters.http.problems import Problem, bad_request, too_large

MAX_BODY: Final = 1024 * 1024
# A \uD800-\uDFFF escape: JSON allows it, but a lone surrogate is not text and cannot be
# stored or sent as UTF-8.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


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
    if _SURROGATE_ESCAPE.search(raw) and not _is_unicode(document):
        raise bad_request("the body contains a lone UTF-16 surrogate (\\uD800-\\uDFFF)")
    return document


def _is_unicode(document: object) -> bool:
    # NOTE: only run when the raw body has a surrogate escape; a valid pair decodes to
    # one character and passes, a lone half does not encode.
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
