"""Answers carrying a token or secret are never stored by a cache; no answer is sniffed."""

from __future__ import annotations

import pytest

from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e


def test_every_answer_that_shows_a_token_or_secret_says_no_store(server: RunningServer) -> None:
    org = server.organizer
    made = server.request(
        "POST", "/api/v1/keys", token=org, json_body={"name": "n", "scopes": ["webhooks:manage"]}
    )
    rotated = server.request(
        "POST", f"/api/v1/keys/{made.json()['key_id']}/rotate", token=org, json_body={}
    )
    hook = server.request(
        "POST",
        "/api/v1/webhooks",
        token=org,
        json_body={"url": "https://hooks.example.org/in", "events": ["submission.created"]},
    )
    secret = server.request(
        "POST", f"/api/v1/webhooks/{hook.json()['id']}/rotate-secret", token=org, json_body={}
    )
    assert "token" in made.json() and "token" in rotated.json()
    assert "secret" in hook.json() and "secret" in secret.json()
    for reply in (made, rotated, hook, secret):
        assert reply.headers["Cache-Control"] == "no-store", reply
        assert reply.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "authorized", "cache"),
    [
        ("/api/v1/keys", True, "no-store"),
        ("/api/v1/submissions", True, "no-store"),
        ("/api/v1/keys", False, "no-store"),  # a 401 problem
        ("/api/v1/nothing-here", True, "no-store"),  # a 404 problem
        ("/api/v1/exports/submissions.csv", True, "private, no-cache"),
        ("/healthz", False, "no-store"),
        ("/openapi.json", False, "no-cache"),
        ("/admin", False, "no-store"),
        ("/no/such/page", False, None),
    ],
)
def test_every_answer_says_nosniff_and_api_answers_are_not_stored(
    server: RunningServer, path: str, authorized: bool, cache: str | None
) -> None:
    reply = server.request("GET", path, token=server.organizer if authorized else None)
    assert reply.headers["X-Content-Type-Options"] == "nosniff", reply
    assert reply.headers.get("Cache-Control") == cache, reply
