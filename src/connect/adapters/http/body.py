"""Reading request bodies: a size limit, strict UTF-8 JSON objects only, clear errors."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any, Final

import falcon

from connect.adapters.http.problem_types import MAX_BODY, MAX_DEPTH
from connect.adapters.http.problems import Problem, bad_request, too_large

# A \uD800-\uDFFF escape: JSON allows it, but a lone surrogate is not text and cannot be
# stored or sent as UTF-8.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
# NOTE: the closing quote is optional so an unterminated string ends the scan instead
# of being retried from every later quote (which would be quadratic).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


class BodyLimit:
    """Refuse a body over ``MAX_BODY`` before anything reads it (413)."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        if req.content_length is not None and req.content_length > MAX_BODY:
            raise too_large(MAX_BODY)


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text`` (0 for a scalar).

    Exact for valid JSON, linear in the text, and run before parsing so a deep body
    never reaches the recursive parser. Brackets inside strings do not count.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def read_json(req: falcon.Request, *, allow_empty: bool = False) -> dict[str, Any]:
    """The body as a JSON object.

    Args:
        allow_empty: an empty body reads as ``{}``.

    Raises:
        Problem: 413 over the limit; 400 not UTF-8, not JSON, nested deeper than
            ``MAX_DEPTH`` or holding a lone surrogate; 422 JSON that is not an object.

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
    document = _parse(raw)
    if not isinstance(document, dict):
        raise Problem("validation-failed", "the body must be a JSON object")
    return document


def _parse(raw: bytes) -> Any:
    # NOTE: json.loads(bytes) would decode with "surrogatepass" (and guess UTF-16/32):
    # raw CESU-8 surrogates would then reach storage. RFC 8259 says UTF-8; decode strictly.
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        detail = f"the body is not UTF-8 text (invalid byte at offset {e.start})"
        raise bad_request(detail) from None
    # NOTE: a body with few brackets cannot nest deeply: two C-speed counts settle the
    # common case without the scan.
    openers = text.count("[") + text.count("{")
    if openers > MAX_DEPTH and nesting_depth(text) > MAX_DEPTH:
        raise bad_request(f"the body nests arrays and objects more than {MAX_DEPTH} levels deep")
    try:
        document = json.loads(text, parse_constant=_not_json)
    except ValueError as e:
        raise bad_request(f"the body is not valid JSON: {e}") from None
    if _SURROGATE_ESCAPE.search(text) and not _is_unicode(document):
        raise bad_request("the body contains a lone UTF-16 surrogate (\\uD800-\\uDFFF)")
    return document


def _not_json(name: str) -> Any:
    # NOTE: Python reads NaN and Infinity; JSON has no such numbers (RFC 8259 section 6).
    raise ValueError(f"{name} is not a JSON number")


def _is_unicode(document: object) -> bool:
    # NOTE: only run when the body has a surrogate escape; a valid pair decodes to one
    # character and passes, a lone half does not encode.
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
