"""RFC 9457 problem details: every error Connect answers with, mapped in one table."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping, Sequence
from http import HTTPStatus
from typing import Any, Final

import attrs
import falcon

from connect.adapters.http.error_sentence import error_sentence
from connect.adapters.http.problem_types import (
    BY_KIND,
    DOCS,
    PROBLEM_JSON,
    FieldErrorDocument,
    ProblemDocument,
)
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
from connect.domain.requests.rules import UNSET

log = logging.getLogger("connect.http")


def _shown(attribute: attrs.Attribute[Any], value: Any) -> bool:
    return value is not UNSET and value != []


def render(problem: ProblemDocument) -> dict[str, Any]:
    """The problem's JSON object: its members in the order the class declares them, those
    ``UNSET`` (and ``errors`` when empty) left out."""
    return attrs.asdict(problem, filter=_shown)


class Problem(falcon.HTTPError):
    """An HTTP error rendered as ``application/problem+json``.

    Args:
        kind: the problem type's slug (``/docs/api#problem-<kind>``); its status and
            title come from ``problem_types``.
        detail: what went wrong this time.
        errors: field problems, for 422.
        headers: extra response headers.
        extension: further members of the problem object (``ProblemDocument``'s).
        status: for ``http-error`` only: the status of an error Connect has no type for.
        title: for ``http-error`` only: that status's phrase.

    Raises:
        KeyError: a kind that is not in ``problem_types``.
    """

    def __init__(
        self,
        kind: str,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        extension: Mapping[str, Any] | None = None,
        status: int | None = None,
        title: str | None = None,
    ) -> None:
        known = BY_KIND[kind]
        super().__init__(
            status or known.status,
            title=title or known.title,
            description=detail,
            headers=dict(headers or {}),
        )
        self.kind = kind
        self.errors = tuple(errors)
        self.extension = dict(extension or {})

    def document(self) -> ProblemDocument:
        return ProblemDocument(
            DOCS + self.kind,
            self.title,
            self.status_code,
            self.description or "",
            [FieldErrorDocument.of(e) for e in self.errors],
            **self.extension,
        )

    def to_dict(self, obj_type: type = dict) -> dict[str, Any]:
        return render(self.document())


def kinds_by_status(*kinds: str) -> dict[int, str]:
    """The kind answering each status, for errors that carry only a status (Falcon's and
    waitress's own): one kind per status among ``kinds``.

    Raises:
        KeyError: a kind that is not in the table.
    """
    return {BY_KIND[kind].status: kind for kind in kinds}


def bad_request(detail: str) -> Problem:
    return Problem("malformed-request", detail)


def too_large(limit: int) -> Problem:
    return Problem("body-too-large", f"the request body is over {limit} bytes")


#: Domain errors answered as their problem type, with the error's message as detail.
_PLAIN: Final[tuple[tuple[type[ConnectError], str], ...]] = (
    (Forbidden, "forbidden"),
    (InvalidIdempotencyKey, "idempotency-key-invalid"),
    (IdempotencyKeyReused, "idempotency-key-reused"),
    (NotFound, "not-found"),
    (Conflict, "conflict"),
)


def problem_for(error: ConnectError) -> Problem:
    """The one table from domain errors to HTTP problems."""
    if isinstance(error, ValidationFailed):
        return Problem("validation-failed", str(error), errors=error.errors)
    if isinstance(error, Unauthenticated):
        return Problem(
            "unauthenticated", str(error), headers={"WWW-Authenticate": 'Bearer realm="connect"'}
        )
    for kind_of, kind in _PLAIN:
        if isinstance(error, kind_of):
            return Problem(kind, str(error))
    if isinstance(error, RateLimited):
        return Problem(
            f"rate-limited-{error.policy}",
            str(error),
            headers={"Retry-After": str(error.retry_after)},
            extension={"policy": error.policy, "retry_after": error.retry_after},
        )
    if isinstance(error, Overloaded):
        return Problem(
            "overloaded",
            str(error),
            headers={"Retry-After": str(error.retry_after)},
            extension={"retry_after": error.retry_after},
        )
    if isinstance(error, StorageUnavailable | SchemaTooNew):
        log.error("%s", error)
        return unavailable()
    if isinstance(error, SecretUnreadable):
        # NOTE: the operator's problem, not the caller's: the detail goes to the log.
        log.error("%s", error)
        return Problem(
            "secret-unreadable",
            "a stored webhook secret does not decrypt with the server's key; the error "
            "was logged for the operator",
        )
    return Problem("request-failed", str(error))


def unavailable() -> Problem:
    """The database does not answer."""
    return Problem("storage-unavailable", "the database does not answer")


def internal() -> Problem:
    """A bug: the detail went to the log."""
    return Problem("internal", "the server failed to answer; the error was logged")


# NOTE: Falcon's own errors (its router's 404 and 405, its request parsing) carry only
# a status; these are the types they are answered as, any other is ``http-error``.
_FALCON_KINDS: Final = kinds_by_status(
    "not-found",
    "method-not-allowed",
    "body-too-large",
    "malformed-request",
    "unsupported-media-type",
    "length-required",
)
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
        problem = error.document()
    else:
        status = error.status_code
        problem = ProblemDocument(
            DOCS + _FALCON_KINDS.get(status, "http-error"),
            HTTPStatus(status).phrase if status in _KNOWN else (error.title or "Error"),
            status,
            error.description or _default_detail(req, status),
        )
    request_id = getattr(req.context, "request_id", None)
    if request_id is not None:
        problem = attrs.evolve(problem, request_id=request_id)
    body = render(problem)
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
        raise internal() from error

    app.add_error_handler(Exception, on_unexpected)
    app.add_error_handler(ConnectError, on_connect_error)
    app.set_error_serializer(on_error)
