"""RFC 9457 problem details: every error Connect answers with, mapped in one table."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping, Sequence
from http import HTTPStatus
from typing import Any

import falcon

from connect.adapters.http.error_sentence import error_sentence
from connect.domain.errors import (
    Conflict,
    ConnectError,
    FieldError,
    Forbidden,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    NotFound,
    Overloaded,
    RateLimited,
    SchemaTooNew,
    SecretUnreadable,
    StorageUnavailable,
    Unauthenticated,
    ValidationFailed,
)

PROBLEM_JSON = "application/problem+json"
DOCS = "/docs/api#problem-"
log = logging.getLogger("connect.http")


class Problem(falcon.HTTPError):
    """An HTTP error rendered as ``application/problem+json``.

    Args:
        status: the HTTP status code.
        kind: the problem type's slug (``/docs/api#problem-<kind>``).
        title: a short summary that is the same for every occurrence of the type.
        detail: what went wrong this time.
        errors: field problems, for 422.
        headers: extra response headers.
        extension: further members of the problem object.
    """

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        extension: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(status, title=title, description=detail, headers=dict(headers or {}))
        self.kind = kind
        self.errors = tuple(errors)
        self.extension = dict(extension or {})

    def to_dict(self, obj_type: type = dict) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": DOCS + self.kind,
            "title": self.title,
            "status": self.status_code,
            "detail": self.description,
        }
        if self.errors:
            body["errors"] = [field_error_document(e) for e in self.errors]
        body.update(self.extension)
        return body


def field_error_document(error: FieldError) -> dict[str, str]:
    """One ``errors`` entry: today's ``field`` and ``message``, and RFC 9457's
    ``pointer`` (a JSON Pointer to the member, RFC 6901) and ``detail`` (the message)."""
    # NOTE: "~" and "/" are the two characters a JSON Pointer escapes; an unknown
    # member's name is quoted as the client sent it and may hold either.
    pointer = "/" + error.field.replace("~", "~0").replace("/", "~1")
    return {
        "field": error.field,
        "message": error.message,
        "pointer": pointer,
        "detail": error.message,
    }


def bad_request(detail: str) -> Problem:
    return Problem(400, "malformed-request", "Malformed request", detail)


def too_large(limit: int) -> Problem:
    return Problem(
        413, "body-too-large", "Request body too large", f"the request body is over {limit} bytes"
    )


def problem_for(error: ConnectError) -> Problem:
    """The one table from domain errors to HTTP problems."""
    if isinstance(error, ValidationFailed):
        return Problem(422, "validation-failed", "Invalid fields", str(error), errors=error.errors)
    if isinstance(error, Unauthenticated):
        return Problem(
            401,
            "unauthenticated",
            "Authentication required",
            str(error),
            headers={"WWW-Authenticate": 'Bearer realm="connect"'},
        )
    if isinstance(error, Forbidden):
        return Problem(403, "forbidden", "Missing scope or permission", str(error))
    if isinstance(error, InvalidIdempotencyKey):
        return Problem(400, "idempotency-key-invalid", "Invalid Idempotency-Key", str(error))
    if isinstance(error, IdempotencyKeyReused):
        return Problem(422, "idempotency-key-reused", "Idempotency-Key already used", str(error))
    if isinstance(error, NotFound):
        return Problem(404, "not-found", "Not found", str(error))
    if isinstance(error, Conflict):
        return Problem(409, "conflict", "Conflict", str(error))
    if isinstance(error, RateLimited):
        return Problem(
            429,
            f"rate-limited-{error.policy}",
            "Too many requests",
            str(error),
            headers={"Retry-After": str(error.retry_after)},
            extension={"policy": error.policy, "retry_after": error.retry_after},
        )
    if isinstance(error, Overloaded):
        return Problem(
            503,
            "overloaded",
            "Temporarily overloaded",
            str(error),
            headers={"Retry-After": str(error.retry_after)},
            extension={"retry_after": error.retry_after},
        )
    if isinstance(error, StorageUnavailable | SchemaTooNew):
        log.error("%s", error)
        return Problem(
            503, "storage-unavailable", "Storage unavailable", "the database does not answer"
        )
    if isinstance(error, SecretUnreadable):
        # NOTE: the operator's problem, not the caller's: the detail goes to the log.
        log.error("%s", error)
        return Problem(
            500,
            "secret-unreadable",
            "Stored secret unreadable",
            "a stored webhook secret does not decrypt with the server's key; the error "
            "was logged for the operator",
        )
    return Problem(400, "request-failed", "Request failed", str(error))


_SLUGS = {
    404: "not-found",
    405: "method-not-allowed",
    413: "body-too-large",
    400: "malformed-request",
    415: "unsupported-media-type",
    411: "length-required",
}


_KNOWN = {s.value for s in HTTPStatus}


def with_error_member(body: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` and, as the RFC 9457 extension member ``error``, the same problem told
    as a sentence for a person: what the Rust NYC site's frontend shows
    (``result.error``) when the speakers' form fails."""
    return {**body, "error": error_sentence(body)}


def serialize(
    req: falcon.Request,
    resp: falcon.Response,
    error: falcon.HTTPError,
    *,
    error_member: bool = False,
) -> None:
    """Render any ``HTTPError`` (ours or Falcon's router 404/405) as a problem; with
    ``error_member``, one that also carries ``error`` (``with_error_member``)."""
    if isinstance(error, Problem):
        body = error.to_dict()
    else:
        status = error.status_code
        body = {
            "type": DOCS + _SLUGS.get(status, "http-error"),
            "title": HTTPStatus(status).phrase if status in _KNOWN else (error.title or "Error"),
            "status": status,
            "detail": error.description or _default_detail(req, status),
        }
    request_id = getattr(req.context, "request_id", None)
    if request_id is not None:
        body["request_id"] = request_id
    if error_member:
        body = with_error_member(body)
    resp.content_type = PROBLEM_JSON
    resp.data = json.dumps(body).encode()
    resp.append_header("Vary", "Accept")


def _default_detail(req: falcon.Request, status: int) -> str:
    if status == 404:
        return f"no resource at {req.path}"
    if status == 405:
        return f"{req.method} is not allowed on {req.path}"
    return HTTPStatus(status).description if status in _KNOWN else "the request failed"


def install(app: falcon.App[Any, Any], *, error_paths: Collection[str] = ()) -> None:
    """Map every error to a problem response, in one place.

    Args:
        app: the Falcon app.
        error_paths: paths whose problems also carry ``error`` (from the route table's
            ``error_member``), whatever answers them: a resource, a middleware (413,
            429) or the router (405).
    """
    with_error = frozenset(error_paths)

    def on_error(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
        serialize(req, resp, error, error_member=req.path in with_error)

    def on_connect_error(
        req: falcon.Request, resp: falcon.Response, error: ConnectError, params: Any
    ) -> None:
        raise problem_for(error) from error

    def on_unexpected(
        req: falcon.Request, resp: falcon.Response, error: Exception, params: Any
    ) -> None:
        if isinstance(error, falcon.HTTPError):
            raise error
        log.exception("unhandled error on %s %s", req.method, req.path)
        raise Problem(
            500, "internal", "Internal error", "the server failed to answer; the error was logged"
        ) from error

    app.add_error_handler(Exception, on_unexpected)
    app.add_error_handler(ConnectError, on_connect_error)
    app.set_error_serializer(on_error)
