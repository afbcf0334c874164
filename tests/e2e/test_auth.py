"""Who may call what: the auth matrix on the real server."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connect.testing import FileClock
from tests.e2e.server import RunningServer, ServeProcess

LIST = "/api/v1/submissions"


def test_no_key_is_401_with_a_bearer_challenge(server: RunningServer) -> None:
    reply = server.request("GET", LIST)
    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert reply.headers["Content-Type"] == "application/problem+json"
    problem = reply.json()
    assert problem["status"] == 401 and problem["type"].endswith("#problem-unauthenticated")
    assert problem["title"] and problem["detail"]


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer rnc_live_" + "A" * 24,
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "rnc_live_x",
    ],
)
def test_a_bad_key_is_401(server: RunningServer, authorization: str) -> None:
    reply = server.request("GET", LIST, headers={"Authorization": authorization})
    assert reply.status == 401 and "WWW-Authenticate" in reply.headers


def test_a_revoked_key_fails_on_the_next_request(server: RunningServer) -> None:
    token = server.key("submissions:read")
    assert server.request("GET", LIST, token=token).status == 200
    key_id = token[:17]
    assert server.request("DELETE", f"/api/v1/keys/{key_id}", token=server.organizer).status == 200
    assert server.request("GET", LIST, token=token).status == 401


def test_a_key_expiring_in_the_past_is_refused(server: RunningServer) -> None:
    reply = server.request(
        "POST",
        "/api/v1/keys",
        token=server.organizer,
        json_body={
            "name": "late",
            "scopes": ["submissions:read"],
            "expires_at": "2020-01-01T00:00:00Z",
        },
    )
    assert reply.status == 422


def test_a_key_is_401_from_the_moment_the_servers_clock_reaches_its_expiry(
    tmp_path: Path,
) -> None:
    clock = FileClock(tmp_path / "now.txt")
    clock.set(datetime(2026, 2, 6, 12, 0, tzinfo=UTC))
    env = {**os.environ, "CONNECT_DB": str(tmp_path / "connect.db")}
    server = ServeProcess(env, tmp_path / "serve.log", clock_file=clock.path)
    try:
        reply = server.request(
            "POST",
            "/api/v1/keys",
            token=server.organizer,
            json_body={
                "name": "soon",
                "scopes": ["submissions:read"],
                "expires_at": "2026-02-06T13:00:00Z",
            },
        )
        assert reply.status == 201, reply
        token = reply.json()["token"]
        clock.set(datetime(2026, 2, 6, 12, 59, 59, tzinfo=UTC))
        assert server.request("GET", LIST, token=token).status == 200
        clock.advance(seconds=1)
        assert server.request("GET", LIST, token=token).status == 401
    finally:
        server.close()


def test_the_production_server_ignores_the_test_clock_file(tmp_path: Path) -> None:
    (tmp_path / "now.txt").write_text("2020-01-01T00:00:00Z")
    env = {
        **os.environ,
        "CONNECT_DB": str(tmp_path / "connect.db"),
        "CONNECT_CLOCK_FILE": str(tmp_path / "now.txt"),
    }
    server = ServeProcess(env, tmp_path / "serve.log")
    try:
        (key,) = server.request("GET", "/api/v1/keys", token=server.organizer).json()["data"]
        assert not key["created_at"].startswith("2020-")
    finally:
        server.close()


def test_a_missing_scope_is_403(server: RunningServer) -> None:
    exporter = server.key("exports:create")
    reply = server.request("GET", LIST, token=exporter)
    assert reply.status == 403
    assert "submissions:read" in reply.json()["detail"]
    assert server.request("GET", "/api/v1/keys", token=exporter).status == 403


def test_a_read_key_cannot_write(server: RunningServer) -> None:
    reader = server.key("submissions:read")
    reply = server.request(
        "POST", LIST, token=reader, json_body={"speaker_name": "A", "talk_context": "B"}
    )
    assert reply.status == 403
    assert server.request("GET", LIST, token=reader).json()["data"] == []


def test_test_and_live_keys_see_only_their_own_mode(server: RunningServer) -> None:
    live = server.key("submissions:read", "submissions:write", mode="live")
    test = server.key("submissions:read", "submissions:write", mode="test")
    made_live = server.request(
        "POST", LIST, token=live, json_body={"speaker_name": "L", "talk_context": "live"}
    ).json()
    made_test = server.request(
        "POST", LIST, token=test, json_body={"speaker_name": "T", "talk_context": "test"}
    ).json()
    assert (made_live["mode"], made_test["mode"]) == ("live", "test")
    assert [s["id"] for s in server.request("GET", LIST, token=live).json()["data"]] == [
        made_live["id"]
    ]
    assert [s["id"] for s in server.request("GET", LIST, token=test).json()["data"]] == [
        made_test["id"]
    ]
    assert server.request("GET", f"{LIST}/{made_live['id']}", token=test).status == 404
    assert (
        server.request(
            "PATCH", f"{LIST}/{made_live['id']}", token=test, json_body={"status": "accepted"}
        ).status
        == 404
    )


def test_public_routes_need_no_key(server: RunningServer) -> None:
    assert server.request("GET", "/healthz").json() == {"status": "ok"}
    reply = server.request(
        "POST", "/api/submissions", json_body={"speakerName": "A", "talkContext": "B"}
    )
    assert reply.status == 201


@pytest.mark.parametrize("scope", ["submissions:read", "exports:create", "webhooks:manage"])
def test_a_key_without_keys_manage_cannot_mint_keys(server: RunningServer, scope: str) -> None:
    token = server.key(scope)
    reply = server.request(
        "POST", "/api/v1/keys", token=token, json_body={"name": "copy", "scopes": [scope]}
    )
    assert reply.status == 403 and "keys:manage" in reply.json()["detail"]
    listed = server.request("GET", "/api/v1/keys", token=server.organizer).json()["data"]
    assert "copy" not in {k["name"] for k in listed}


def test_a_test_mode_key_manager_cannot_take_over_the_live_organizer_key(
    server: RunningServer,
) -> None:
    tester = server.request(
        "POST",
        "/api/v1/keys",
        token=server.organizer,
        json_body={"name": "sandbox", "scopes": ["keys:manage"], "mode": "test"},
    ).json()["token"]
    organizer_id = server.organizer[:17]
    for method, path in [
        ("POST", f"/api/v1/keys/{organizer_id}/rotate"),
        ("GET", f"/api/v1/keys/{organizer_id}"),
        ("DELETE", f"/api/v1/keys/{organizer_id}"),
    ]:
        reply = server.request(
            method, path, token=tester, json_body={} if method == "POST" else None
        )
        assert reply.status == 404, (method, path, reply.status)
        assert "rnc_live_" not in reply.text
    listed = server.request("GET", "/api/v1/keys", token=tester).json()["data"]
    assert {k["mode"] for k in listed} == {"test"}
    assert server.request("GET", "/api/v1/keys", token=server.organizer).status == 200


def test_a_narrow_key_manager_cannot_rotate_the_organizer_key(server: RunningServer) -> None:
    manager = server.key("keys:manage")
    reply = server.request(
        "POST", f"/api/v1/keys/{server.organizer[:17]}/rotate", token=manager, json_body={}
    )
    assert reply.status == 403
    assert server.request("GET", "/api/v1/keys", token=server.organizer).status == 200
