"""RFC 9457 problem details: every error Connect answers with, mapped in one table."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import falcon

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
    SecretUnreadable,
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
            body["errors"] = [{"field": e.field, "message": e.message} for e in self.errors]
        body.update(self.extension)
        return body


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


def serialize(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    """Render any ``HTTPError`` (ours or Falcon's router 404/405) as a problem."""
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
    resp.content_type = PROBLEM_JSON
    resp.data = json.dumps(body).encode()
    resp.append_header("Vary", "Accept")


def _default_detail(req: falcon.Request, status: int) -> str:
    if status == 404:
        return f"no resource at {req.path}"
    if status == 405:
        return f"{req.method} is not allowed on {req.path}"
    return HTTPStatus(status).description if status in _KNOWN else "the request failed"


def install(app: falcon.App[Any, Any]) -> None:
    """Map every error to a problem response, in one place."""

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
    app.set_error_serializer(serialize)
