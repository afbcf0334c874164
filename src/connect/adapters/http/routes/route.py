"""What a row of the route table is: a path, the resource serving it and, per HTTP
method, an ``Operation``: who may call it (``Access``) and how the API reference
documents it.

The Falcon router, the ``Authorization`` middleware and the OpenAPI document's
``paths`` are all built from the table. A resource with a responder the table does not
list is refused when the app is built (``check_table``), so a route cannot be added
without saying who may call it and documenting it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from attrs import field, frozen
from attrs.validators import instance_of, optional

from connect.domain.access import Access, Reach
from connect.domain.keys import Scope
from connect.services.container import Services
from connect.services.rate_limits import FORM

# NOTE: ids in paths are positive SQLite integers; anything else is a 404 from the router.
ID: Final = "int(min=1, max=9223372036854775807)"
METHODS: Final = ("GET", "POST", "PUT", "PATCH", "DELETE")

PUBLIC: Final = Access(scope=None)
READ: Final = Access(Scope.SUBMISSIONS_READ, Reach.SUBMISSIONS)
WRITE: Final = Access(Scope.SUBMISSIONS_WRITE, Reach.SUBMISSIONS)
EXPORT: Final = Access(Scope.EXPORTS_CREATE, Reach.SUBMISSIONS)
WEBHOOKS: Final = Access(Scope.WEBHOOKS_MANAGE, Reach.WEBHOOKS)
KEYS: Final = Access(Scope.KEYS_MANAGE, Reach.KEYS)
#: The cursor pagination parameters of every list.
PAGE: Final = ("limit", "cursor")

Document = dict[str, Any]
Factory = Callable[[Services, Document], object]
#: A component schema's name, or an inline JSON Schema.
Schema = str | Mapping[str, Any]


@frozen
class Answer:
    """One documented answer of an operation.

    Attributes:
        description: what the answer means.
        schema: its JSON body (``application/json``), if it has one.
        headers: the ``components/headers`` it carries.
        media: bodies in other media types, listed before the JSON one.
    """

    description: str
    schema: Schema | None = None
    headers: tuple[str, ...] = ()
    media: Mapping[str, Schema] = field(factory=dict)


@frozen
class Operation:
    """One method of a route: who may call it and its documentation. What the route
    implies is not repeated here: the path parameter, 401 and 403 for a key, 404 for a
    path with an id, 400/413/422 for a body, 422 for query parameters, 429 and the
    RateLimit headers where the rate limits count it (``openapi.operations``).

    Attributes:
        access: what the caller needs.
        operation_id: the OpenAPI ``operationId``.
        summary: one line.
        description: more, if needed (the scope needed is prefixed to it).
        parameters: the ``components/parameters`` it takes besides the path's.
        body: the component schema of its JSON request body, if it takes one.
        body_required: an empty body is refused.
        answers: each success (or 304) status with its answer.
        problems: the statuses of problem answers beyond the implied ones.
    """

    access: Access
    operation_id: str
    summary: str
    description: str = ""
    parameters: tuple[str, ...] = field(default=(), kw_only=True)
    body: str | None = field(default=None, kw_only=True)
    body_required: bool = field(default=True, kw_only=True)
    answers: Mapping[int, Answer] = field(kw_only=True)
    problems: tuple[int, ...] = field(default=(), kw_only=True)


_OPERATION: Final = optional(instance_of(Operation))


@frozen
class Route:
    """One path of the API.

    Attributes:
        path: the path as documented (``/api/v1/webhooks/{id}``).
        resource: builds the resource from the services and the OpenAPI document.
        get, post, patch, delete: the ``Operation`` of each method it answers; HEAD
            follows GET.
        tag: the OpenAPI tag of its operations.
        ids: the path parameters that are database ids (routed as positive integers).
        parameter: the ``components/parameters`` entry documenting the path's ``{id}``.
        rate_policy: a stricter rate-limit policy (``exports``, ``form``), if any.
        error_member: every problem answered on this path also carries ``error``, the
            human sentence (``problems.with_error_member``). Literal paths only.
    """

    path: str
    resource: Factory
    get: Operation | None = field(default=None, validator=_OPERATION)
    post: Operation | None = field(default=None, validator=_OPERATION)
    patch: Operation | None = field(default=None, validator=_OPERATION)
    delete: Operation | None = field(default=None, validator=_OPERATION)
    tag: str = field(kw_only=True)
    ids: tuple[str, ...] = ()
    parameter: str | None = None
    rate_policy: str | None = None
    error_member: bool = False

    @property
    def operations(self) -> dict[str, Operation]:
        """Each method's operation, by upper-case method."""
        found = {m: getattr(self, m.lower(), None) for m in METHODS}
        return {m: op for m, op in found.items() if op is not None}

    @property
    def template(self) -> str:
        """The Falcon URI template (ids with their converter)."""
        template = self.path
        for name in self.ids:
            template = template.replace(f"{{{name}}}", f"{{{name}:{ID}}}")
        return template

    @property
    def access(self) -> Mapping[str, Access]:
        """What each HTTP method needs."""
        return {method: op.access for method, op in self.operations.items()}

    def access_for(self, method: str) -> Access | None:
        op = self.operations.get("GET" if method == "HEAD" else method)
        return None if op is None else op.access

    def form_limited(self, method: str) -> bool:
        """The public form's own rate limit (per client IP) counts ``method`` here."""
        return self.rate_policy == FORM and method == "POST"

    def rate_limited(self, method: str) -> bool:
        """A rate limit counts ``method`` here (``RateLimitGuard``): every operation
        that needs a key, and the form's POST."""
        access = self.access_for(method)
        return access is not None and (not access.public or self.form_limited(method))


def error_member_paths(routes: Iterable[Route]) -> frozenset[str]:
    """The paths whose problems carry ``error`` (``Route.error_member``).

    Raises:
        ValueError: a route with path parameters asks for it (matched literally).
    """
    paths = frozenset(route.path for route in routes if route.error_member)
    templated = sorted(p for p in paths if "{" in p)
    if templated:
        raise ValueError(f"error_member needs a literal path: {templated}")
    return paths


def responders(resource: object) -> set[str]:
    """The HTTP methods ``resource`` answers (HEAD and OPTIONS aside)."""
    return {m for m in METHODS if callable(getattr(resource, f"on_{m.lower()}", None))}


def check_table(routes: Iterable[tuple[Route, object]]) -> None:
    """Refuse a table whose resources answer a method it does not declare (or declare a
    method nobody answers): who may call a route is never left unsaid.

    Raises:
        ValueError: naming the route and the methods that differ.
    """
    for route, resource in routes:
        declared = set(route.operations)
        answered = responders(resource)
        if declared != answered:
            raise ValueError(
                f"route {route.path}: the table declares {sorted(declared)} but "
                f"{type(resource).__name__} answers {sorted(answered)}"
            )
