"""Every error is an RFC 9457 problem, and no input makes the server fail."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from falcon import testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.adapters.http.openapi import build_document
from connect.adapters.http.problems import problem_for
from connect.adapters.http.routes import ROUTES
from connect.domain.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Overloaded,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (ValidationFailed([FieldError("a", "b")]), 422, "validation-failed"),
        (Unauthenticated("x"), 401, "unauthenticated"),
        (Forbidden("x"), 403, "forbidden"),
        (NotFound("x"), 404, "not-found"),
        (Conflict("x"), 409, "conflict"),
        (RateLimited("per-key", 7), 429, "rate-limited-per-key"),
        (Overloaded("key verification", 7), 503, "overloaded"),
    ],
)
def test_each_domain_error_maps_to_one_problem(error: Exception, status: int, kind: str) -> None:
    problem = problem_for(error)  # type: ignore[arg-type]
    body = problem.to_dict()
    assert body["status"] == status and body["type"] == f"/docs/api#problem-{kind}"
    assert set(body) >= {"type", "title", "status", "detail"}
    if status in (429, 503):
        assert problem.headers["Retry-After"] == "7"


DOCUMENT = build_document("fuzz", ROUTES)
SCHEMAS = DOCUMENT["components"]["schemas"]


def _parameter(spec: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in spec:
        return DOCUMENT["components"]["parameters"][spec["$ref"].rsplit("/", 1)[1]]  # type: ignore[no-any-return]
    return spec


def _operations() -> list[tuple[str, str]]:
    """Every documented (method, path) plus HEAD for each GET: app.py's routes
    (tests/http/test_openapi.py checks the document lists every served route)."""
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method in item:
            found.append((method.upper(), path))
            if method == "get":
                found.append(("HEAD", path))
    return found


OPERATIONS = _operations()
QUERY_PARAMETERS = sorted(
    {
        _parameter(p)["name"]
        for item in DOCUMENT["paths"].values()
        for op in item.values()
        for p in op.get("parameters", [])
        if _parameter(p)["in"] == "query"
    }
)
BODY_FIELDS = sorted(
    {
        name
        for schema in SCHEMAS.values()
        if schema.get("type") == "object"
        for name in schema.get("properties", {})
    }
)
TYPOS = ["sheduled_date", "talkcontext", "speaker-name", "scope", "event", "Active", "", "id"]


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# Values at the edges every parameter's parser must survive.
EDGE_VALUES = [
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "2026-02-06",
    "2026-02-06T13:57:40Z",
    "9223372036854775808",
    "-1",
    "0",
    "9" * 5000,
    "all",
    "scheduled",
    _cursor("v1:9223372036854775808"),
    _cursor("v1:0"),
    _cursor("v1:-1"),
    _cursor("v1:\u00b2"),
    "rnc_live_Ab3dE9xQ",
    "\x00",
    "%ED%A0%80",
]
# NOTE: never "2": key 2 is the fuzzing organizer; revoking it would make the rest 401s.
IDS = [
    "1",
    "3",
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "1e3",
    "abc",
    "rnc_live_Ab3dE9xQ",
    "rnc_live_%00",
    "%F0%9F%A6%80",
    "1%2F2",
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 10**30])
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(EDGE_VALUES),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=15), inner, max_size=4)
    ),
    max_leaves=10,
)
field_names = st.sampled_from(BODY_FIELDS + TYPOS)
bodies = st.one_of(
    st.dictionaries(field_names, json_values, max_size=6).map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=40),
    st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
    st.sampled_from(
        [
            b'{"speakerName": "A\xed\xa0\x80", "talkContext": "x"}',
            b'{"speaker_name": "A", "talk_context": NaN}',
            b"\xef\xbb\xbf{}",
            b"",
        ]
    ),
)
routes = st.one_of(
    st.tuples(st.sampled_from(OPERATIONS), st.sampled_from(IDS)).map(
        lambda r: (r[0][0], r[0][1].replace("{id}", r[1]))
    ),
    st.sampled_from([("PUT", "/api/v1/keys"), ("PATCH", "/api/v1/nothing"), ("POST", "/healthz")]),
)
queries = st.dictionaries(
    st.sampled_from([*QUERY_PARAMETERS, "unknown"]),
    st.one_of(st.text(max_size=12), st.sampled_from(EDGE_VALUES)),
    max_size=4,
)


@pytest.fixture
def seeded_client(offline_client: testing.TestClient, offline_organizer: str) -> testing.TestClient:
    """One submission, one webhook and its test delivery, so ids 1 reach real rows."""
    auth = {"Authorization": f"Bearer {offline_organizer}"}
    offline_client.simulate_post("/api/submissions", json={"speakerName": "A", "talkContext": "B"})
    hook = {"url": "https://hooks.example.com/in", "events": ["submission.created"]}
    assert (
        offline_client.simulate_post("/api/v1/webhooks", json=hook, headers=auth).status_code == 201
    )
    assert offline_client.simulate_post("/api/v1/webhooks/1/test", headers=auth).status_code == 200
    return offline_client


def test_the_fuzzed_routes_and_parameters_are_every_documented_one() -> None:
    assert {"limit", "cursor", "status", "since", "until", "key"} <= set(QUERY_PARAMETERS)
    writes = {(m, p) for m, p in OPERATIONS if m in ("POST", "PATCH", "DELETE")}
    assert writes == {
        ("POST", "/api/submissions"),
        ("POST", "/api/v1/submissions"),
        ("PATCH", "/api/v1/submissions/{id}"),
        ("DELETE", "/api/v1/submissions/{id}"),
        ("POST", "/api/v1/keys"),
        ("DELETE", "/api/v1/keys/{id}"),
        ("POST", "/api/v1/keys/{id}/rotate"),
        ("POST", "/api/v1/webhooks"),
        ("PATCH", "/api/v1/webhooks/{id}"),
        ("DELETE", "/api/v1/webhooks/{id}"),
        ("POST", "/api/v1/webhooks/{id}/test"),
        ("POST", "/api/v1/webhooks/{id}/rotate-secret"),
        ("POST", "/api/v1/webhooks/{id}/recover"),
        ("POST", "/api/v1/deliveries/{id}/redeliver"),
    }


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=routes, body=bodies, query=queries)
def test_no_input_causes_a_500(
    seeded_client: testing.TestClient,
    offline_organizer: str,
    route: tuple[str, str],
    body: bytes,
    query: dict[str, str],
) -> None:
    method, path = route
    result = seeded_client.simulate_request(
        method,
        path,
        body=body,
        params=query,
        headers={
            "Authorization": f"Bearer {offline_organizer}",
            "Content-Type": "application/json",
        },
    )
    assert result.status_code < 500, (method, path, query, body[:200], result.text)
    if result.status_code >= 400 and method != "HEAD":
        assert result.headers["Content-Type"] == "application/problem+json"
        problem = result.json
        assert problem["status"] == result.status_code and problem["type"].startswith(
            "/docs/api#problem-"
        )


@pytest.mark.parametrize(
    "body",
    [
        b'{"speakerName": "A\\ud800", "talkContext": "x"}',
        b'{"speakerName": "A", "talkContext": "\\uDFFF tail"}',
        b'{"speakerName": "A", "\\udc00": 1, "talkContext": "x"}',
    ],
)
def test_a_lone_surrogate_is_a_400_not_a_crash(client: testing.TestClient, body: bytes) -> None:
    result = client.simulate_post("/api/submissions", body=body)
    assert result.status_code == 400 and "surrogate" in result.json["detail"]


def test_a_surrogate_pair_is_ordinary_text(client: testing.TestClient) -> None:
    body = b'{"speakerName": "Crab \\ud83e\\udd80", "talkContext": "x"}'
    assert client.simulate_post("/api/submissions", body=body).status_code == 201
