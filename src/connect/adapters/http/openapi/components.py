"""Shared OpenAPI components: parameters, headers, problem responses, security schemes."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any, Final

from connect.adapters.http.openapi.json_schema import ref
from connect.adapters.http.problem_types import BY_KIND, MAX_BODY, PROBLEM_JSON, PROBLEM_TYPES
from connect.domain.idempotency import MAX_LENGTH as IDEMPOTENCY_KEY_MAX
from connect.domain.idempotency import WINDOW as IDEMPOTENCY_WINDOW
from connect.domain.pagination import DEFAULT_LIMIT, MAX_LIMIT
from connect.domain.rate_limit import PER_KEY_PER_MINUTE
from connect.domain.submission_query import SEARCH_MAX
from connect.domain.submissions import Status


def _header(description: str, example: str, schema_type: str = "string") -> dict[str, Any]:
    return {"description": description, "schema": {"type": schema_type}, "example": example}


HEADERS: Final = {
    "RateLimit-Policy": _header(
        "The limit that applies (IETF httpapi ratelimit-headers draft).",
        f'"per-key";q={PER_KEY_PER_MINUTE};w=60',
    ),
    "RateLimit": _header("What is left: r remaining, t seconds to reset.", '"per-key";r=42;t=17'),
    "Retry-After": _header("Seconds to wait before retrying.", "17", "integer"),
    "Link": _header(
        "The next page, when there is one.", '</api/v1/submissions?cursor=djE6NDI>; rel="next"'
    ),
    "ETag": _header("A strong validator; send it back as If-None-Match.", '"3a7bd3e2360a3d29"'),
    "WWW-Authenticate": _header("The auth scheme to use.", 'Bearer realm="connect"'),
    "Location": _header("The URL of the created resource.", "/api/v1/keys/8"),
    "Idempotent-Replayed": _header(
        "true: an earlier request with the same Idempotency-Key created this; this one "
        "created nothing.",
        "true",
    ),
}


def header_refs(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _parameter(
    where: str, name: str, description: str, schema: dict[str, Any], **more: Any
) -> dict[str, Any]:
    parameter = {"name": name, "in": where, "required": where == "path"}
    return {**parameter, "description": description, "schema": schema, **more}


_query, _path, _header = (partial(_parameter, where) for where in ("query", "path", "header"))


_TEXT: Final = {"type": "string"}
_ID: Final = {"type": "integer", "minimum": 1}
PARAMETERS: Final = {
    "limit": _query(
        "limit",
        f"Page size, 1..{MAX_LIMIT}.",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    "cursor": _query("cursor", "The next_cursor of the previous page.", _TEXT),
    "status": _query(
        "status",
        "Only submissions with this status.",
        {"type": "string", "enum": ["all", *(s.value for s in Status)], "default": "all"},
    ),
    "q": _query(
        "q",
        "Only submissions whose speaker_name or talk_context contains this text, ignoring "
        f"case (Unicode case folding). Trimmed; at most {SEARCH_MAX} characters; blank means "
        "no filter.",
        {"type": "string", "maxLength": SEARCH_MAX, "examples": ["ferris"]},
    ),
    "exportStatus": _query(
        "status",
        "pending, scheduled or all.",
        {"type": "string", "enum": ["pending", "scheduled", "all"], "default": "all"},
    ),
    "since": _query(
        "since",
        "Only rows created at or after this ISO date or datetime (UTC).",
        {"type": "string", "examples": ["2026-01-01", "2026-01-01T00:00:00Z"]},
    ),
    "key": _query(
        "key",
        "The token, for calendar clients that cannot send headers. Never logged.",
        _TEXT,
    ),
    "auditKey": _query(
        "key",
        "Only requests made with this key: its number or its key_id. An unknown key gives "
        "an empty page.",
        {"type": "string", "examples": ["rnc_live_Ab3dE9xQ"]},
    ),
    "until": _query(
        "until",
        "Only rows created before this ISO date or datetime (UTC).",
        {"type": "string", "examples": ["2026-02-01", "2026-02-01T00:00:00Z"]},
    ),
    "idempotencyKey": _header(
        "Idempotency-Key",
        "Makes the create safe to retry: the same key with the same body from the same API "
        f"key within {IDEMPOTENCY_WINDOW // timedelta(hours=1)} hours answers with the "
        "submission the first request created (Idempotent-Replayed: true) and creates "
        f"nothing. 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters, bare or as a quoted "
        'string ("..."); a UUID is a good key.',
        # NOTE: two more for the quotes of a quoted string.
        {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX + 2},
        example="8e03978e-40d5-43e8-bc93-6894a57f9324",
    ),
    "ifNoneMatch": _header(
        "If-None-Match", "The ETag you hold; an unchanged export answers 304.", _TEXT
    ),
    "submissionId": _path("id", "The submission id.", _ID),
    "keyId": _path("id", "The key's numeric id or its key_id (rnc_live_Ab3dE9xQ).", _TEXT),
    "webhookId": _path("id", "The webhook id.", _ID),
    "deliveryId": _path("id", "The delivery id.", _ID),
    "after": _query(
        "after",
        "The next_cursor of the previous answer: only events after it. Without it the feed "
        "starts at its oldest kept event.",
        _TEXT,
    ),
    "types": _query(
        "types",
        "Comma-separated event types (all without).",
        {"type": "string", "examples": ["submission.created,talk.scheduled"]},
    ),
    "feedIfNoneMatch": _header(
        "If-None-Match",
        "The ETag of your last answer to the same URL: 304 while nothing new.",
        _TEXT,
    ),
}


def _problem_response(
    text: str, *kinds: str, headers: tuple[str, ...] = ()
) -> tuple[int, dict[str, Any]]:
    """A problem answer and its status: ``text`` names ``kinds`` (of ``problem_types``,
    all of that one status) at its ``{}``s."""
    (status,) = {BY_KIND[kind].status for kind in kinds}
    response: dict[str, Any] = {
        "description": text.format(*kinds),
        "content": {PROBLEM_JSON: {"schema": ref("Problem")}},
    }
    if headers:
        response["headers"] = header_refs(*headers)
    return status, response


_RATE_LIMITED: Final = tuple(t.kind for t in PROBLEM_TYPES if t.kind.startswith("rate-limited-"))
_PROBLEM_ANSWERS: Final = {
    "MalformedRequest": _problem_response(
        "Malformed JSON or a missing body ({}), or a bad Idempotency-Key ({}).",
        "malformed-request",
        "idempotency-key-invalid",
    ),
    "Unauthenticated": _problem_response(
        "Missing, unknown, revoked or expired key ({}). When a key was presented, RateLimit "
        "counts the client's failures left (auth-failures).",
        "unauthenticated",
        headers=("WWW-Authenticate", "RateLimit-Policy", "RateLimit"),
    ),
    "Forbidden": _problem_response("The key lacks the scope ({}).", "forbidden"),
    "NotFound": _problem_response("No such resource in the key's mode ({}).", "not-found"),
    "Conflict": _problem_response("The state does not allow it ({}).", "conflict"),
    "BodyTooLarge": _problem_response(
        f"The body is over {MAX_BODY // 2**20} MiB ({{}}).", "body-too-large"
    ),
    "ValidationFailed": _problem_response(
        "Invalid fields, listed in errors ({}), or an Idempotency-Key sent before with a "
        "different request ({}).",
        "validation-failed",
        "idempotency-key-reused",
    ),
    # NOTE: every rate-limited-<policy> kind, named by the pattern they share.
    "RateLimited": _problem_response(
        "A rate limit refused the request (rate-limited-<policy>).",
        *_RATE_LIMITED,
        headers=("Retry-After", "RateLimit-Policy", "RateLimit"),
    ),
}
RESPONSES: Final = {name: response for name, (_, response) in _PROBLEM_ANSWERS.items()}
#: The problem answer of each status, by component name.
PROBLEM_REFS: Final = {status: name for name, (status, _) in _PROBLEM_ANSWERS.items()}

SECURITY_SCHEMES: Final = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "rnc_live_<24> or rnc_test_<24>",
        "description": "Authorization: Bearer <token>. Each operation names the scope it "
        "needs in x-required-scope.",
    },
    "queryKey": {
        "type": "apiKey",
        "in": "query",
        "name": "key",
        "description": "Only GET /api/v1/exports/schedule.ics: ?key=<token>.",
    },
}


def components(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": schemas,
        "parameters": PARAMETERS,
        "headers": HEADERS,
        "responses": RESPONSES,
        "securitySchemes": SECURITY_SCHEMES,
    }
