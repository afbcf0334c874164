"""Every error is an RFC 9457 problem, and no input makes the server fail."""

from __future__ import annotations

import json

import pytest
from falcon import testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.adapters.http.problems import problem_for
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


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=15), inner, max_size=4)
    ),
    max_leaves=10,
)
field_names = st.sampled_from(
    [
        "speakerName",
        "talkContext",
        "isOnBehalf",
        "submitterName",
        "speaker_name",
        "talk_context",
        "is_on_behalf",
        "submitter_name",
        "status",
        "scheduled_date",
        "discord_invite_link",
        "discord_channel_id",
        "name",
        "scopes",
        "mode",
        "expires_at",
        "grace_seconds",
        "id",
    ]
)
bodies = st.one_of(
    st.dictionaries(field_names, json_values, max_size=6).map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=40),
)
routes = st.sampled_from(
    [
        ("POST", "/api/submissions"),
        ("POST", "/api/v1/submissions"),
        ("GET", "/api/v1/submissions"),
        ("PATCH", "/api/v1/submissions/1"),
        ("GET", "/api/v1/submissions/1"),
        ("GET", "/api/v1/schedule"),
        ("POST", "/api/v1/keys"),
        ("GET", "/api/v1/keys"),
        ("DELETE", "/api/v1/keys/1"),
        ("POST", "/api/v1/keys/1/rotate"),
        ("PUT", "/api/v1/keys"),
        ("GET", "/healthz"),
        ("GET", "/api/v1/keys/rnc_live_%00"),
        ("PATCH", "/api/v1/submissions/-1"),
    ]
)
queries = st.dictionaries(
    st.sampled_from(["limit", "cursor", "status", "since", "key"]), st.text(max_size=12), max_size=3
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=routes, body=bodies, query=queries)
def test_no_input_causes_a_500(
    client: testing.TestClient, organizer: str, route: tuple[str, str], body: bytes, query: dict
) -> None:
    client.simulate_post("/api/submissions", json={"speakerName": "A", "talkContext": "B"})
    method, path = route
    result = client.simulate_request(
        method,
        path,
        body=body,
        params=query,
        headers={"Authorization": f"Bearer {organizer}", "Content-Type": "application/json"},
    )
    assert result.status_code < 500, result.text
    if result.status_code >= 400:
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
