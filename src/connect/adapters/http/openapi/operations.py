"""Building blocks for OpenAPI operations: scopes, standard problems, rate-limit headers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from connect.adapters.http.openapi.components import header_refs
from connect.adapters.http.openapi.json_schema import ref

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
    scope: str | None,
    description: str = "",
    parameters: Sequence[str] = (),
    body: dict[str, Any] | None = None,
    responses: Mapping[int | str, dict[str, Any]],
    problems: Sequence[int] = (),
    rate_limited: bool = True,
    security: list[dict[str, list[str]]] | None = None,
) -> dict[str, Any]:
    """One operation.

    Args:
        scope: the scope the bearer key needs, or ``None`` for a public operation.
        problems: the statuses of problem answers besides the ones every
            authenticated operation has (401, 403, 429).
        rate_limited: success answers carry ``RateLimit-Policy`` and ``RateLimit``.
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
    if scope is not None:
        statuses |= {401, 403, 429}
    elif rate_limited:
        statuses.add(429)
    for status in sorted(statuses):
        answers[str(status)] = {"$ref": f"#/components/responses/{_PROBLEM_REFS[status]}"}
    result: dict[str, Any] = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if scope is None:
        result["security"] = []
        result["description"] = description or "Public: no key needed."
    else:
        result["security"] = security or [{"bearer": []}]
        result["x-required-scope"] = scope
        result["description"] = f"Needs a key with the `{scope}` scope. {description}".strip()
    if parameters:
        result["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in parameters]
    if body is not None:
        result["requestBody"] = body
    result["responses"] = answers
    return result
