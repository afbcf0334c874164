"""Building blocks for OpenAPI operations: standard problems, rate-limit headers, and the
route table's access written into each operation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from connect.adapters.http.openapi.components import PROBLEM_JSON, RESPONSES, header_refs
from connect.adapters.http.openapi.json_schema import ref

if TYPE_CHECKING:
    from connect.adapters.http.routes import Route

JSON = "application/json"
# The cursor pagination parameters of every list.
PAGE = ("limit", "cursor")
_PROBLEM_REFS = {
    400: "MalformedRequest",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    413: "BodyTooLarge",
    422: "ValidationFailed",
    429: "RateLimited",
}


def json_response(
    description: str, schema: str | None = None, *, headers: Sequence[str] = ()
) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = {JSON: {"schema": ref(schema)}}
    if headers:
        response["headers"] = header_refs(*headers)
    return response


def json_body(schema: str, *, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {JSON: {"schema": ref(schema)}}}


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    description: str = "",
    parameters: Sequence[str] = (),
    body: dict[str, Any] | None = None,
    responses: Mapping[int | str, dict[str, Any]],
    problems: Sequence[int] = (),
    rate_limited: bool = True,
) -> dict[str, Any]:
    """One operation. Who may call it (``security``, the required scope, 401 and 403)
    comes from the route table, through ``secure``.

    Args:
        problems: the statuses of problem answers besides the ones the route table
            implies (401 and 403 for a key, 429 for a rate-limited operation).
        rate_limited: answers carry ``RateLimit-Policy`` and ``RateLimit``, and 429.
    """
    answers: dict[str, Any] = {}
    for status, response in responses.items():
        if rate_limited and str(status).startswith("2"):
            response = {
                **response,
                "headers": {
                    **response.get("headers", {}),
                    **header_refs("RateLimit-Policy", "RateLimit"),
                },
            }
        answers[str(status)] = response
    statuses = set(problems)
    if body is not None:
        statuses |= {400, 413, 422}
    if rate_limited:
        statuses.add(429)
    result: dict[str, Any] = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in parameters]
    if body is not None:
        result["requestBody"] = body
    result["responses"] = _with_problems(answers, statuses)
    return result


def _with_problems(answers: Mapping[str, Any], statuses: Iterable[int]) -> dict[str, Any]:
    merged = dict(answers)
    for status in statuses:
        merged[str(status)] = {"$ref": f"#/components/responses/{_PROBLEM_REFS[status]}"}
    return dict(sorted(merged.items()))


def secure(paths: Mapping[str, Mapping[str, dict[str, Any]]], routes: Iterable[Route]) -> None:
    """Write each operation's ``security``, required scope, test-mode reach and
    authentication problems from the route table, in place.

    Raises:
        ValueError: the table and the documented operations differ.
    """
    documented = {(path, method.upper()) for path, item in paths.items() for method in item}
    declared = {(route.path, method) for route in routes for method in route.access}
    if documented != declared:
        raise ValueError(
            f"undocumented routes: {sorted(declared - documented)}; "
            f"documented but not routed: {sorted(documented - declared)}"
        )
    for route in routes:
        for method, access in route.access.items():
            op = paths[route.path][method.lower()]
            if route.error_member:
                _with_error_member(op)
            description = op.get("description", "")
            if access.scope is None:
                op["security"] = []
                op["description"] = description or "Public: no key needed."
                continue
            op["security"] = (
                [{"bearer": []}, {"queryKey": []}] if access.query_key else [{"bearer": []}]
            )
            op["x-required-scope"] = access.scope.value
            op["x-test-mode"] = f"a test-mode key reaches only test-mode {access.reach.value}"
            op["description"] = (
                f"Needs a key with the `{access.scope.value}` scope. {description}".strip()
            )
            op["responses"] = _with_problems(op["responses"], (401, 403))


def _with_error_member(op: dict[str, Any]) -> None:
    """Document the route table's ``error_member``: every problem answer of ``op`` is a
    ``ProblemWithError``."""
    op["description"] = (
        f"{op.get('description', '')} Every problem answered here also carries `error`, "
        "the same problem as a sentence for a person (the Rust NYC site's frontend shows "
        "`result.error`)."
    ).strip()
    for status, response in op["responses"].items():
        name = str(response.get("$ref", "")).rsplit("/", 1)[-1]
        if name in RESPONSES:
            op["responses"][status] = {
                **RESPONSES[name],
                "content": {PROBLEM_JSON: {"schema": ref("ProblemWithError")}},
            }
