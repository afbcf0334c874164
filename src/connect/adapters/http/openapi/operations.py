"""The document's ``paths``, generated from the route table: each operation as its row
documents it, with what the table implies written in (``Operation``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import deepcopy
from typing import TYPE_CHECKING, Any, Final

from connect.adapters.http.openapi.components import (
    PARAMETERS,
    PROBLEM_REFS,
    RESPONSES,
    header_refs,
)
from connect.adapters.http.openapi.json_schema import ref
from connect.adapters.http.problem_types import PROBLEM_JSON

if TYPE_CHECKING:
    from connect.adapters.http.routes import Answer, Operation, Route
    from connect.adapters.http.routes.route import Schema

JSON: Final = "application/json"
RATE_LIMIT: Final = ("RateLimit-Policy", "RateLimit")


def paths(routes: Iterable[Route]) -> dict[str, Any]:
    """Every route's path item, in the table's order.

    Raises:
        ValueError: two operations share an operationId, or a path's ``{id}`` has no
            parameter documenting it.
    """
    documented: dict[str, Any] = {}
    ids: set[str] = set()
    for route in routes:
        if ("{" in route.path) != (route.parameter is not None):
            raise ValueError(f"route {route.path}: document its path parameter (parameter=)")
        item = documented.setdefault(route.path, {})
        for method, op in route.operations.items():
            if op.operation_id in ids:
                raise ValueError(f"operationId {op.operation_id} is used twice")
            ids.add(op.operation_id)
            item[method.lower()] = _operation(route, method, op)
    return documented


def _operation(route: Route, method: str, op: Operation) -> dict[str, Any]:
    limited = route.rate_limited(method)
    parameters = [*([route.parameter] if route.parameter else []), *op.parameters]
    result: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [route.tag],
        "description": _description(route, op),
    }
    if parameters:
        result["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in parameters]
    if op.body is not None:
        result["requestBody"] = {
            "required": op.body_required,
            "content": {JSON: {"schema": ref(op.body)}},
        }
    answers = {str(s): _answer(a, limited and s < 300) for s, a in op.answers.items()}
    for status in _problems(route, op, limited):
        answers[str(status)] = _problem(route, PROBLEM_REFS[status])
    result["responses"] = dict(sorted(answers.items()))
    access = op.access
    if access.scope is None:
        result["security"] = []
        return result
    result["security"] = (
        [{"bearer": []}, {"queryKey": []}] if access.query_key else [{"bearer": []}]
    )
    result["x-required-scope"] = access.scope.value
    result["x-test-mode"] = f"a test-mode key reaches only test-mode {access.reach.value}"
    return result


def _description(route: Route, op: Operation) -> str:
    text = op.description
    if route.error_member:
        text = (
            f"{text} Every problem answered here also carries `error`, the same problem as a "
            "sentence for a person (the Rust NYC site's frontend shows `result.error`)."
        ).strip()
    scope = op.access.scope
    if scope is None:
        return text or "Public: no key needed."
    return f"Needs a key with the `{scope.value}` scope. {text}".strip()


def _problems(route: Route, op: Operation, limited: bool) -> set[int]:
    """The statuses of the problems ``op`` answers with: its own and the implied ones."""
    statuses = set(op.problems)
    if op.body is not None:
        statuses |= {400, 413, 422}
    if any(PARAMETERS.get(p, {}).get("in") == "query" for p in op.parameters):
        statuses.add(422)  # a query parameter that does not parse
    if route.parameter is not None:
        statuses.add(404)
    if not op.access.public:
        statuses |= {401, 403}
    if limited:
        statuses.add(429)
    return statuses


def _problem(route: Route, name: str) -> dict[str, Any]:
    """A problem answer, the component; or, on a route with ``error_member``, a copy of
    it whose body is a ``ProblemWithError``."""
    if not route.error_member:
        return {"$ref": f"#/components/responses/{name}"}
    return {**RESPONSES[name], "content": {PROBLEM_JSON: {"schema": ref("ProblemWithError")}}}


def _answer(answer: Answer, rate_limited: bool) -> dict[str, Any]:
    response: dict[str, Any] = {"description": answer.description}
    content = dict(answer.media)
    if answer.schema is not None:
        content[JSON] = answer.schema
    if content:
        response["content"] = {media: {"schema": _schema(s)} for media, s in content.items()}
    headers = (*answer.headers, *(RATE_LIMIT if rate_limited else ()))
    if headers:
        response["headers"] = header_refs(*headers)
    return response


def _schema(schema: Schema) -> Mapping[str, Any]:
    return ref(schema) if isinstance(schema, str) else deepcopy(dict(schema))
