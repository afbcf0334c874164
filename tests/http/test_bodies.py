"""Request bodies: strict UTF-8 JSON, bounded nesting, and no unknown field dropped."""

from __future__ import annotations

import json
from typing import Any

import pytest
from falcon import testing
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.http.body import nesting_depth
from connect.adapters.http.openapi import build_document
from connect.adapters.http.problem_types import MAX_DEPTH
from connect.adapters.http.routes import ROUTES
from connect.adapters.http.structure import FORM_MEMBERS, Members, member_names
from connect.domain.requests.keys import KeyRequest, SecretRotation
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.domain.requests.webhooks import WebhookPatch, WebhookRegistration

FORM = "/api/submissions"


def submission_count(client: testing.TestClient, organizer: str) -> int:
    listed = client.simulate_get(
        "/api/v1/submissions?limit=200", headers={"Authorization": f"Bearer {organizer}"}
    )
    return len(listed.json["data"])


def nested(depth: int) -> Any:
    value: Any = "Ferris"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def depth_of(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\ab'), inner, max_size=3)
    ),
    max_leaves=60,
)


@given(json_documents, st.booleans())
def test_the_nesting_scan_counts_what_the_parser_would(value: Any, ascii_only: bool) -> None:
    # NOTE: brackets and quotes inside strings must not count; indent changes nothing.
    text = json.dumps(value, ensure_ascii=ascii_only, indent=1 if ascii_only else None)
    assert nesting_depth(text) == depth_of(value)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
def test_a_body_nested_too_deeply_is_a_400_even_without_a_key(
    client: testing.TestClient, organizer: str, depth: int
) -> None:
    before = submission_count(client, organizer)
    result = client.simulate_post(FORM, body=b"[" * depth + b"]" * depth)
    assert (
        result.status_code == 400 and result.headers["Content-Type"] == "application/problem+json"
    )
    assert f"more than {MAX_DEPTH} levels" in result.json["detail"]
    assert submission_count(client, organizer) == before


def test_a_body_nested_up_to_the_limit_is_read_and_judged_on_its_fields(
    client: testing.TestClient,
) -> None:
    deep = json.dumps({"speakerName": nested(MAX_DEPTH - 1), "talkContext": "x"})
    assert client.simulate_post(FORM, body=deep).status_code == 422
    too_deep = json.dumps({"speakerName": nested(MAX_DEPTH), "talkContext": "x"})
    assert client.simulate_post(FORM, body=too_deep).status_code == 400


def test_brackets_inside_strings_are_text_not_nesting(client: testing.TestClient) -> None:
    body = json.dumps({"speakerName": "[" * 5000, "talkContext": "{" * 5000})
    # NOTE: 5000 characters is over the 120-character name limit: a field problem.
    result = client.simulate_post(FORM, body=body)
    assert result.status_code == 422 and result.json["errors"][0]["field"] == "speakerName"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"speakerName": "A\xed\xa0\x80", "talkContext": "x"}',  # CESU-8 high surrogate
        b'{"speakerName": "A\xed\xbf\xbf", "talkContext": "x"}',  # CESU-8 low surrogate
        b'{"speakerName": "A\xff", "talkContext": "x"}',
        '{"speakerName": "A", "talkContext": "x"}'.encode("utf-16"),
    ],
)
def test_a_body_that_is_not_strict_utf8_is_a_400_and_stores_nothing(
    client: testing.TestClient, organizer: str, raw: bytes
) -> None:
    before = submission_count(client, organizer)
    result = client.simulate_post(FORM, body=raw)
    assert result.status_code == 400 and "not UTF-8" in result.json["detail"]
    assert submission_count(client, organizer) == before


def test_a_utf8_byte_order_mark_is_tolerated(client: testing.TestClient) -> None:
    body = b"\xef\xbb\xbf" + json.dumps({"speakerName": "Ferris", "talkContext": "x"}).encode()
    assert client.simulate_post(FORM, body=body).status_code == 201


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_does_not_have_are_a_400(client: testing.TestClient, constant: str) -> None:
    body = f'{{"speakerName": "A", "talkContext": "x", "isOnBehalf": {constant}}}'
    result = client.simulate_post(FORM, body=body)
    assert result.status_code == 400 and constant.lstrip("-") in result.json["detail"]


def seeded(client: testing.TestClient, organizer: str) -> dict[str, str]:
    """One submission and one webhook to write to; the organizer's headers."""
    auth = {"Authorization": f"Bearer {organizer}"}
    client.simulate_post(FORM, json={"speakerName": "A", "talkContext": "B"})
    hook = client.simulate_post(
        "/api/v1/webhooks",
        headers=auth,
        json={"url": "https://hooks.example.com/in", "events": ["submission.created"]},
    )
    assert hook.status_code == 201, hook.text
    return auth


WRITES = [
    ("POST", FORM, {"speakerName": "A", "talk_context": "B"}, "talkContext"),
    ("POST", "/api/v1/submissions", {"speaker_name": "A", "talkContext": "B"}, "talk_context"),
    ("PATCH", "/api/v1/submissions/1", {"sheduled_date": "2026-03-18"}, "scheduled_date"),
    ("POST", "/api/v1/keys", {"name": "k", "scopes": ["submissions:read"], "scope": 1}, "scopes"),
    ("POST", "/api/v1/keys/1/rotate", {"graceSeconds": 0}, "grace_seconds"),
    (
        "POST",
        "/api/v1/webhooks",
        {"url": "https://hooks.example.com/2", "event": ["submission.created"]},
        "events",
    ),
    ("PATCH", "/api/v1/webhooks/1", {"Active": False}, "active"),
    ("POST", "/api/v1/webhooks/1/rotate-secret", {"grace_second": 5}, "grace_seconds"),
    ("POST", "/api/v1/webhooks/1/test", {"dry_run": True}, None),
    ("POST", "/api/v1/deliveries/1/redeliver", {"now": True}, None),
]


@pytest.mark.parametrize(("method", "path", "body", "meant"), WRITES)
def test_an_unknown_field_on_any_write_is_a_422_naming_it(
    offline_client: testing.TestClient,
    offline_organizer: str,
    method: str,
    path: str,
    body: dict[str, Any],
    meant: str | None,
) -> None:
    client, auth = offline_client, seeded(offline_client, offline_organizer)
    before = client.simulate_get("/api/v1/submissions", headers=auth).json
    result = client.simulate_request(method, path, headers=auth, json=body)
    assert result.status_code == 422, result.text
    assert result.json["type"] == "/docs/api#problem-validation-failed"
    (error,) = [e for e in result.json["errors"] if "known field" in e["message"]]
    assert error["field"] in body
    if meant is None:
        assert error["message"] == "is not a known field (this request takes none)"
    else:
        assert error["message"].endswith(f"did you mean {meant!r}?")
    assert client.simulate_get("/api/v1/submissions", headers=auth).json == before
    assert len(client.simulate_get("/api/v1/keys", headers=auth).json["data"]) == 2
    hooks = client.simulate_get("/api/v1/webhooks", headers=auth).json["data"]
    assert [(h["id"], h["active"]) for h in hooks] == [(1, True)]


def test_each_unknown_field_is_its_own_error(
    offline_client: testing.TestClient, offline_organizer: str
) -> None:
    client, auth = offline_client, {"Authorization": f"Bearer {offline_organizer}"}
    body = {"speaker_name": "A", "talk_context": "B", "colour": 1, "sheduled_date": "x"}
    result = client.simulate_post("/api/v1/submissions", headers=auth, json=body)
    assert result.status_code == 422
    assert [e["field"] for e in result.json["errors"]] == ["colour", "sheduled_date"]


def test_a_write_with_only_known_fields_still_succeeds(
    offline_client: testing.TestClient, offline_organizer: str
) -> None:
    client, auth = offline_client, seeded(offline_client, offline_organizer)
    assert client.simulate_post("/api/v1/webhooks/1/test", headers=auth).status_code == 200
    assert client.simulate_post("/api/v1/webhooks/1/test", headers=auth, json={}).status_code == 200
    patched = client.simulate_patch(
        "/api/v1/submissions/1", headers=auth, json={"scheduled_date": "2026-03-18"}
    )
    assert patched.status_code == 200 and patched.json["status"] == "scheduled"


@pytest.mark.parametrize(
    ("schema", "shape", "members"),
    [
        ("SpeakerForm", SubmissionFields, FORM_MEMBERS),
        ("NewSubmission", SubmissionFields, None),
        ("SubmissionPatch", SubmissionPatch, None),
        ("NewWebhook", WebhookRegistration, None),
        ("WebhookPatch", WebhookPatch, None),
        ("Rotation", SecretRotation, None),
        ("NewKey", KeyRequest, None),
    ],
)
def test_each_documented_body_lists_exactly_the_fields_its_route_takes(
    schema: str, shape: type, members: Members | None
) -> None:
    documented = build_document("test", ROUTES)["components"]["schemas"][schema]
    assert set(documented["properties"]) == set(member_names(shape, members).values())
    assert documented["additionalProperties"] is False
