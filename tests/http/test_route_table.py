"""The route table documents every operation, and what it implies is what the app does."""

from __future__ import annotations

from typing import Any

import falcon
import falcon.testing
import pytest

from connect.adapters.http import create_app
from connect.adapters.http.openapi import build_document
from connect.adapters.http.problem_types import BY_KIND, PROBLEM_TYPES
from connect.adapters.http.problems import Problem, kinds_by_status, problem_for
from connect.adapters.http.routes import ROUTES
from connect.bootstrap import Connect
from connect.domain.errors import RateLimited
from connect.domain.keys import ALL_SCOPES


@pytest.fixture
def client(memory_connect: Connect) -> falcon.testing.TestClient:
    return falcon.testing.TestClient(create_app(memory_connect))


def test_the_document_lists_429_and_ratelimit_headers_exactly_where_a_limit_counts(
    client: falcon.testing.TestClient, memory_connect: Connect
) -> None:
    document = build_document("0.0.0", ROUTES)
    token = memory_connect.keys.create(name="o", scopes=ALL_SCOPES, created_by="tests").token
    checked = 0
    for route in ROUTES:
        if "{" in route.path:
            continue
        for method, operation in route.operations.items():
            op = document["paths"][route.path][method.lower()]
            auth = {} if operation.access.public else {"Authorization": f"Bearer {token}"}
            body: Any = {} if method == "POST" else None
            reply = client.simulate_request(method, route.path, headers=auth, json=body)
            counted = "ratelimit" in reply.headers
            assert counted == ("429" in op["responses"]), f"{method} {route.path}"
            assert counted == route.rate_limited(method), f"{method} {route.path}"
            for status, answer in op["responses"].items():
                if status.startswith("2"):
                    assert ("RateLimit" in answer.get("headers", {})) == counted, status
            checked += 1
    assert checked > 15


def test_the_problems_the_router_answers_with_are_documented_types(
    client: falcon.testing.TestClient,
) -> None:
    for reply in (client.simulate_get("/nowhere"), client.simulate_put("/healthz")):
        kind = reply.json["type"].removeprefix("/docs/api#problem-")
        assert BY_KIND[kind].status == reply.status_code == reply.json["status"]


def test_a_problem_takes_its_status_and_title_from_its_type() -> None:
    for problem_type in PROBLEM_TYPES:
        body = Problem(problem_type.kind, "what happened").to_dict()
        assert (body["status"], body["title"]) == (problem_type.status, problem_type.title)
    limited = problem_for(RateLimited("exports", 30)).to_dict()
    assert limited["title"] == BY_KIND["rate-limited-exports"].title


def test_each_kind_is_written_once_and_unknown_kinds_are_refused() -> None:
    kinds = [t.kind for t in PROBLEM_TYPES]
    assert len(kinds) == len(set(kinds))
    with pytest.raises(KeyError):
        Problem("no-such-kind", "x")
    with pytest.raises(KeyError):
        kinds_by_status("no-such-kind")
    assert kinds_by_status("not-found", "conflict") == {404: "not-found", 409: "conflict"}


def test_the_problem_responses_name_kinds_of_their_own_status() -> None:
    document = build_document("0.0.0", ROUTES)
    responses = document["components"]["responses"]
    for type_ in PROBLEM_TYPES:
        for name, response in responses.items():
            if f"({type_.kind})" in response["description"]:
                ref = f"#/components/responses/{name}"
                statuses = {
                    status
                    for item in document["paths"].values()
                    for op in item.values()
                    for status, answer in op["responses"].items()
                    if answer.get("$ref") == ref
                }
                assert statuses == {str(type_.status)}, name
