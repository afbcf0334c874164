"""Every problem type Connect answers with, the limits they state, and the members of
a problem, written once.

A problem type is the ``type`` of an RFC 9457 problem (``/docs/api#problem-<kind>``)
with its status, title and description. ``problems.Problem`` takes its status and title
from here, and the OpenAPI document lists the table as ``x-problem-types`` (rendered on
/docs/api). Problems are answered as ``ProblemDocument`` renders them, and the
document's Problem schemas are generated from the same classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Final

import attrs
from attrs import frozen

from connect.domain import rate_limit as quotas
from connect.domain.errors import FieldError
from connect.domain.idempotency import MAX_LENGTH, WINDOW
from connect.domain.requests.rules import UNSET, Unset
from connect.domain.shapes import describe

PROBLEM_JSON: Final = "application/problem+json"
DOCS: Final = "/docs/api#problem-"
MAX_BODY: Final = 1024 * 1024
# NOTE: Connect's bodies nest two levels deep; 32 leaves room for any client's habits
# and keeps every parser and serializer (ours, SQLite's json, a receiver's) far from
# its recursion limit. Python's own parser fails at about 1,000 levels.
MAX_DEPTH: Final = 32
BODY_STALL_SECONDS: Final = 5.0


@frozen
class ProblemType:
    """One problem type.

    Attributes:
        kind: the slug of its ``type`` (``/docs/api#problem-<kind>``).
        status: the HTTP status it answers with.
        title: the summary, the same for every occurrence.
        description: what it means and what to do, for the docs.
    """

    kind: str
    status: int
    title: str
    description: str


PROBLEM_TYPES: Final[tuple[ProblemType, ...]] = (
    ProblemType(
        "validation-failed",
        422,
        "Invalid fields",
        "The JSON was well formed but some fields are wrong. `errors` lists "
        "every field problem at once as `{field, message, pointer, detail}` (`pointer` is a JSON "
        "Pointer to the member, `detail` the same text as `message`); nothing was stored. A field "
        "the operation does not take is one of them (`is not a known field; did you mean "
        "'talk_context'?`): misspelt fields are refused, never dropped.",
    ),
    ProblemType(
        "malformed-request",
        400,
        "Malformed request",
        "The body is not JSON, or a body is required and was empty. Send a "
        "JSON object (any Content-Type is read as JSON) in strict UTF-8 (no lone "
        "surrogates, raw or `\\uD800`-escaped; no NaN or Infinity), nested at most "
        f"{MAX_DEPTH} levels deep. Also a bad `Content-Length` or chunk size, or a body that "
        f"stopped arriving for {BODY_STALL_SECONDS:g} seconds before its `Content-Length` was "
        "reached.",
    ),
    ProblemType(
        "body-too-large",
        413,
        "Request body too large",
        f"Request bodies are limited to {MAX_BODY // 2**20} MiB ({MAX_BODY} bytes).",
    ),
    ProblemType(
        "headers-too-large",
        431,
        "Request header fields too large",
        "The request line and headers together are over 256 KiB.",
    ),
    ProblemType(
        "not-implemented",
        501,
        "Not implemented",
        "A request body in a `Transfer-Encoding` other than `chunked`.",
    ),
    ProblemType(
        "unauthenticated",
        401,
        "Authentication required",
        "No key, an unknown, revoked or expired key, or a malformed "
        "`Authorization` header. The answer carries `WWW-Authenticate: Bearer`. Send "
        "`Authorization: Bearer rnc_live_...`.",
    ),
    ProblemType(
        "forbidden",
        403,
        "Missing scope or permission",
        "The key is valid but lacks the scope the endpoint needs, or tried to "
        "grant scopes (or a mode) it does not hold itself.",
    ),
    ProblemType(
        "not-found",
        404,
        "Not found",
        "No such resource, or it belongs to the other mode (a test key never "
        "sees live data, nor the reverse), or no route at that path.",
    ),
    ProblemType(
        "method-not-allowed",
        405,
        "Method Not Allowed",
        "The path exists but not with this HTTP method; see `Allow`.",
    ),
    ProblemType(
        "conflict",
        409,
        "Conflict",
        "The request clashes with the current state (for example rotating a "
        "key that is already revoked).",
    ),
    ProblemType(
        "unsupported-media-type",
        415,
        "Unsupported Media Type",
        "The request's media type cannot be read.",
    ),
    ProblemType(
        "length-required",
        411,
        "Length Required",
        "Send a `Content-Length` (or a chunked body).",
    ),
    ProblemType(
        "rate-limited-per-key",
        429,
        "Too many requests",
        f"Each key may make {quotas.PER_KEY_PER_MINUTE} requests a minute (configurable). "
        "Wait `Retry-After` seconds; `RateLimit` tells you how much is left before that.",
    ),
    ProblemType(
        "rate-limited-exports",
        429,
        "Too many requests",
        f"Each key may download {quotas.EXPORTS_PER_HOUR} exports an hour. Use "
        "`If-None-Match` with the last `ETag`: a 304 is cheap.",
    ),
    ProblemType(
        "rate-limited-form",
        429,
        "Too many requests",
        f"The public speakers' form accepts {quotas.FORM_LIMIT[0]} submissions per "
        f"{quotas.FORM_LIMIT[1] // 60} minutes per client IP address.",
    ),
    ProblemType(
        "rate-limited-auth-failures",
        429,
        "Too many requests",
        f"This client IP address presented {quotas.AUTH_FAILURE_LIMIT[0]} wrong secrets for "
        "existing key ids within a minute (configurable), so its keys that need a slow "
        "check are not checked until `Retry-After` seconds have passed (a key already "
        "verified by this process still works). Each such 401 carries `RateLimit` with the "
        "failures left. Check the key you send.",
    ),
    ProblemType(
        "rate-limited-auth-failures-per-key",
        429,
        "Too many requests",
        f"Wrong secrets were sent for this key id {quotas.AUTH_FAILURE_LIMIT[0]} times "
        "within a minute (configurable), from any address, so a secret for it that needs "
        "a slow check is not checked until `Retry-After` seconds have passed. A key "
        "already verified by this process still works.",
    ),
    ProblemType(
        "overloaded",
        503,
        "Temporarily overloaded",
        "Too many slow operations (key verifications, webhook test sends) "
        "are running at once. Nothing was changed; retry after `Retry-After` seconds.",
    ),
    ProblemType(
        "idempotency-key-invalid",
        400,
        "Invalid Idempotency-Key",
        f"An `Idempotency-Key` is 1 to {MAX_LENGTH} visible ASCII characters, sent bare "
        "or as a quoted string. A UUID is a good key.",
    ),
    ProblemType(
        "idempotency-key-reused",
        422,
        "Idempotency-Key already used",
        "The key came before with a different request (body) from this API "
        f"key, within {WINDOW // timedelta(hours=1)} hours. Nothing was created: use a new "
        "key for a new request.",
    ),
    ProblemType(
        "secret-unreadable",
        500,
        "Stored secret unreadable",
        "A stored webhook secret does not decrypt with the server's "
        "encryption key (`CONNECT_SECRET_KEY` or the key file). Nothing was changed; the "
        "operator must restore the key the secret was sealed with (see the server log).",
    ),
    ProblemType(
        "request-failed",
        400,
        "Request failed",
        "The request could not be carried out; `detail` says why.",
    ),
    ProblemType(
        "http-error",
        400,
        "HTTP error",
        "Any other HTTP-level error; `title` is the status phrase and `detail` explains it.",
    ),
    ProblemType(
        "internal",
        500,
        "Internal error",
        "A bug on our side. It was logged; nothing was stored half-way. Retrying later is safe.",
    ),
    ProblemType(
        "storage-unavailable",
        503,
        "Storage unavailable",
        "`/healthz` could not reach the database.",
    ),
)
BY_KIND: Final[Mapping[str, ProblemType]] = {t.kind: t for t in PROBLEM_TYPES}


@frozen
class FieldErrorDocument:
    """One field problem: today's `field` and `message`, and RFC 9457's `pointer` and
    `detail`."""

    field: str = attrs.field(metadata=describe("The member's name."))
    message: str = attrs.field(metadata=describe("What is wrong with it."))
    pointer: str = attrs.field(
        metadata=describe("The member as a JSON Pointer (RFC 6901), e.g. `/talk_context`.")
    )
    detail: str = attrs.field(metadata=describe("The same as `message`."))

    @classmethod
    def of(cls, error: FieldError) -> FieldErrorDocument:
        # NOTE: "~" and "/" are the two characters a JSON Pointer escapes; an unknown
        # member's name is quoted as the client sent it and may hold either.
        pointer = "/" + error.field.replace("~", "~0").replace("/", "~1")
        return cls(error.field, error.message, pointer, error.message)


@frozen
class ProblemDocument:
    """RFC 9457 problem details (application/problem+json)."""

    type: str = attrs.field(
        metadata=describe(
            f"{DOCS}<kind>: the docs of this kind of problem.",
            example=f"{DOCS}validation-failed",
            format="uri-reference",
        )
    )
    title: str = attrs.field(metadata=describe("The same for every problem of a type."))
    status: int = attrs.field(metadata=describe("The HTTP status.", minimum=400, maximum=599))
    detail: str = attrs.field(metadata=describe("What went wrong this time."))
    errors: list[FieldErrorDocument] = attrs.field(
        factory=list, metadata=describe("Field problems (422), every one at once.")
    )
    policy: str | Unset = attrs.field(
        default=UNSET, metadata=describe("429 only: the policy that refused.")
    )
    retry_after: int | Unset = attrs.field(
        default=UNSET, metadata=describe("429 only: seconds to wait.")
    )
    request_id: str | Unset = attrs.field(
        default=UNSET, metadata=describe("The request's `X-Request-Id`.")
    )


@frozen
class ProblemWithError(ProblemDocument):
    """A problem that also carries `error` (an RFC 9457 extension member): the same
    problem as one or more sentences for a person, as the Rust NYC site's own frontend
    shows it (`result.error`, else "Failed to submit"). Field problems name the field as
    the form labels it."""

    error: str = attrs.field(
        kw_only=True,
        metadata=describe(
            "What went wrong, for a person.",
            example="Speaker name must not be blank.",
            minLength=1,
        ),
    )
