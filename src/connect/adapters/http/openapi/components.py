"""Shared OpenAPI components: parameters, headers, problem responses, security schemes."""

from __future__ import annotations

from typing import Any, Final

from connect.adapters.http.openapi.json_schema import ref
from connect.domain.pagination import DEFAULT_LIMIT, MAX_LIMIT
from connect.domain.submissions import Status

PROBLEM_JSON: Final = "application/problem+json"

#: Every problem ``type`` Connect answers with: ``/docs/api#problem-<kind>``.
PROBLEM_TYPES: Final[list[dict[str, Any]]] = [
    {
        "kind": "validation-failed",
        "status": 422,
        "title": "Invalid fields",
        "description": "The JSON was well formed but some fields are wrong. `errors` lists "
        "every field problem at once as `{field, message, pointer, detail}` (`pointer` is a JSON "
        "Pointer to the member, `detail` the same text as `message`); nothing was stored. A field "
        "the operation does not take is one of them (`is not a known field; did you mean "
        "'talk_context'?`): misspelt fields are refused, never dropped.",
    },
    {
        "kind": "malformed-request",
        "status": 400,
        "title": "Malformed request",
        "description": "The body is not JSON, or a body is required and was empty. Send a "
        "JSON object (any Content-Type is read as JSON) in strict UTF-8 (no lone "
        "surrogates, raw or `\\uD800`-escaped; no NaN or Infinity), nested at most 32 "
        "levels deep. Also a bad `Content-Length` or chunk size, or a body that stopped "
        "arriving for 5 seconds before its `Content-Length` was reached.",
    },
    {
        "kind": "body-too-large",
        "status": 413,
        "title": "Request body too large",
        "description": "Request bodies are limited to 1 MiB (1048576 bytes).",
    },
    {
        "kind": "headers-too-large",
        "status": 431,
        "title": "Request header fields too large",
        "description": "The request line and headers together are over 256 KiB.",
    },
    {
        "kind": "not-implemented",
        "status": 501,
        "title": "Not implemented",
        "description": "A request body in a `Transfer-Encoding` other than `chunked`.",
    },
    {
        "kind": "unauthenticated",
        "status": 401,
        "title": "Authentication required",
        "description": "No key, an unknown, revoked or expired key, or a malformed "
        "`Authorization` header. The answer carries `WWW-Authenticate: Bearer`. Send "
        "`Authorization: Bearer rnc_live_...`.",
    },
    {
        "kind": "forbidden",
        "status": 403,
        "title": "Missing scope or permission",
        "description": "The key is valid but lacks the scope the endpoint needs, or tried to "
        "grant scopes (or a mode) it does not hold itself.",
    },
    {
        "kind": "not-found",
        "status": 404,
        "title": "Not found",
        "description": "No such resource, or it belongs to the other mode (a test key never "
        "sees live data, nor the reverse), or no route at that path.",
    },
    {
        "kind": "method-not-allowed",
        "status": 405,
        "title": "Method Not Allowed",
        "description": "The path exists but not with this HTTP method; see `Allow`.",
    },
    {
        "kind": "conflict",
        "status": 409,
        "title": "Conflict",
        "description": "The request clashes with the current state (for example rotating a "
        "key that is already revoked).",
    },
    {
        "kind": "unsupported-media-type",
        "status": 415,
        "title": "Unsupported Media Type",
        "description": "The request's media type cannot be read.",
    },
    {
        "kind": "length-required",
        "status": 411,
        "title": "Length Required",
        "description": "Send a `Content-Length` (or a chunked body).",
    },
    {
        "kind": "rate-limited-per-key",
        "status": 429,
        "title": "Too many requests",
        "description": "Each key may make 100 requests a minute (configurable). Wait "
        "`Retry-After` seconds; `RateLimit` tells you how much is left before that.",
    },
    {
        "kind": "rate-limited-exports",
        "status": 429,
        "title": "Too many requests",
        "description": "Each key may download 10 exports an hour. Use `If-None-Match` with "
        "the last `ETag`: a 304 is cheap.",
    },
    {
        "kind": "rate-limited-form",
        "status": 429,
        "title": "Too many requests",
        "description": "The public speakers' form accepts 10 submissions per 15 minutes per "
        "client IP address.",
    },
    {
        "kind": "rate-limited-auth-failures",
        "status": 429,
        "title": "Too many requests",
        "description": "This client IP address presented 20 wrong secrets for existing key "
        "ids within a minute (configurable), so its keys that need a slow check are not "
        "checked until `Retry-After` seconds have passed (a key already verified by this "
        "process still works). Each such 401 carries `RateLimit` with the failures left. "
        "Check the key you send.",
    },
    {
        "kind": "rate-limited-auth-failures-per-key",
        "status": 429,
        "title": "Too many requests",
        "description": "Wrong secrets were sent for this key id 20 times within a minute "
        "(configurable), from any address, so a secret for it that needs a slow check is "
        "not checked until `Retry-After` seconds have passed. A key already verified by "
        "this process still works.",
    },
    {
        "kind": "overloaded",
        "status": 503,
        "title": "Temporarily overloaded",
        "description": "Too many slow operations (key verifications, webhook test sends) "
        "are running at once. Nothing was changed; retry after `Retry-After` seconds.",
    },
    {
        "kind": "idempotency-key-invalid",
        "status": 400,
        "title": "Invalid Idempotency-Key",
        "description": "An `Idempotency-Key` is 1 to 255 visible ASCII characters, sent bare "
        "or as a quoted string. A UUID is a good key.",
    },
    {
        "kind": "idempotency-key-reused",
        "status": 422,
        "title": "Idempotency-Key already used",
        "description": "The key came before with a different request (body) from this API "
        "key, within 24 hours. Nothing was created: use a new key for a new request.",
    },
    {
        "kind": "secret-unreadable",
        "status": 500,
        "title": "Stored secret unreadable",
        "description": "A stored webhook secret does not decrypt with the server's "
        "encryption key (`CONNECT_SECRET_KEY` or the key file). Nothing was changed; the "
        "operator must restore the key the secret was sealed with (see the server log).",
    },
    {
        "kind": "request-failed",
        "status": 400,
        "title": "Request failed",
        "description": "The request could not be carried out; `detail` says why.",
    },
    {
        "kind": "http-error",
        "status": 400,
        "title": "HTTP error",
        "description": "Any other HTTP-level error; `title` is the status phrase and "
        "`detail` explains it.",
    },
    {
        "kind": "internal",
        "status": 500,
        "title": "Internal error",
        "description": "A bug on our side. It was logged; nothing was stored half-way. "
        "Retrying later is safe.",
    },
    {
        "kind": "storage-unavailable",
        "status": 503,
        "title": "Storage unavailable",
        "description": "`/healthz` could not reach the database.",
    },
]


def _header(description: str, example: str, schema_type: str = "string") -> dict[str, Any]:
    return {"description": description, "schema": {"type": schema_type}, "example": example}


HEADERS: Final = {
    "RateLimit-Policy": _header(
        "The limit that applies (IETF httpapi ratelimit-headers draft).",
        '"per-key";q=100;w=60',
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


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _path(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


PARAMETERS: Final = {
    "limit": _query(
        "limit",
        f"Page size, 1..{MAX_LIMIT}.",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    "cursor": _query("cursor", "The next_cursor of the previous page.", {"type": "string"}),
    "status": _query(
        "status",
        "Only submissions with this status.",
        {"type": "string", "enum": ["all", *(s.value for s in Status)], "default": "all"},
    ),
    "q": _query(
        "q",
        "Only submissions whose speaker_name or talk_context contains this text, ignoring "
        "case (Unicode case folding). Trimmed; at most 200 characters; blank means no filter.",
        {"type": "string", "maxLength": 200, "examples": ["ferris"]},
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
        {"type": "string"},
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
    "idempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "Makes the create safe to retry: the same key with the same body "
        "from the same API key within 24 hours answers with the submission the first "
        "request created (Idempotent-Replayed: true) and creates nothing. 1 to 255 visible "
        'ASCII characters, bare or as a quoted string ("..."); a UUID is a good key.',
        "schema": {"type": "string", "minLength": 1, "maxLength": 257},
        "example": "8e03978e-40d5-43e8-bc93-6894a57f9324",
    },
    "ifNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "The ETag you hold; an unchanged export answers 304.",
        "schema": {"type": "string"},
    },
    "submissionId": _path("id", "The submission id.", {"type": "integer", "minimum": 1}),
    "keyId": _path(
        "id", "The key's numeric id or its key_id (rnc_live_Ab3dE9xQ).", {"type": "string"}
    ),
    "webhookId": _path("id", "The webhook id.", {"type": "integer", "minimum": 1}),
    "deliveryId": _path("id", "The delivery id.", {"type": "integer", "minimum": 1}),
    "after": {
        "name": "after",
        "in": "query",
        "required": False,
        "description": "The next_cursor of the previous answer: only events after it. "
        "Without it the feed starts at its oldest kept event.",
        "schema": {"type": "string"},
    },
    "types": {
        "name": "types",
        "in": "query",
        "required": False,
        "description": "Comma-separated event types (all without).",
        "schema": {"type": "string", "examples": ["submission.created,talk.scheduled"]},
    },
    "feedIfNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "The ETag of your last answer to the same URL: 304 while nothing new.",
        "schema": {"type": "string"},
    },
}


def _problem_response(description: str, *headers: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": ref("Problem")}},
    }
    if headers:
        response["headers"] = header_refs(*headers)
    return response


RESPONSES: Final = {
    "MalformedRequest": _problem_response(
        "Malformed JSON or a missing body (malformed-request), or a bad Idempotency-Key "
        "(idempotency-key-invalid)."
    ),
    "Unauthenticated": _problem_response(
        "Missing, unknown, revoked or expired key (unauthenticated). When a key was "
        "presented, RateLimit counts the client's failures left (auth-failures).",
        "WWW-Authenticate",
        "RateLimit-Policy",
        "RateLimit",
    ),
    "Forbidden": _problem_response("The key lacks the scope (forbidden)."),
    "NotFound": _problem_response("No such resource in the key's mode (not-found)."),
    "Conflict": _problem_response("The state does not allow it (conflict)."),
    "BodyTooLarge": _problem_response("The body is over 1 MiB (body-too-large)."),
    "ValidationFailed": _problem_response(
        "Invalid fields, listed in errors (validation-failed), or an Idempotency-Key sent "
        "before with a different request (idempotency-key-reused)."
    ),
    "RateLimited": _problem_response(
        "A rate limit refused the request (rate-limited-<policy>).",
        "Retry-After",
        "RateLimit-Policy",
        "RateLimit",
    ),
}

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
