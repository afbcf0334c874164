from __future__ import annotations

from collections.abc import Iterator

import pytest
from falcon import testing

from connect.adapters.http import create_app
from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import Connect, bootstrap
from connect.config import Config
from connect.domain.keys import Scope
from connect.domain.mode import Mode
from connect.testing import FixedEntropy, ManualClock, RecordingSender, Sha256Hasher

URL = "https://hooks.example.com/in"
WEBHOOK_FIELDS = {
    "id",
    "url",
    "events",
    "active",
    "failure_count",
    "disabled_reason",
    "api_key_id",
    "mode",
    "created_at",
}
DELIVERY_FIELDS = {
    "id",
    "webhook_id",
    "event_id",
    "event",
    "status",
    "attempt_count",
    "next_attempt_at",
    "created_at",
    "attempts",
}
ATTEMPT_FIELDS = {
    "attempt",
    "status_code",
    "duration_ms",
    "error",
    "response_snippet",
    "attempted_at",
}


@pytest.fixture
def connect(clock: ManualClock) -> Iterator[Connect]:
    app = bootstrap(
        Config(db=":memory:"),
        MemoryUnitOfWork(),
        clock=clock,
        entropy=FixedEntropy(11),
        hasher=Sha256Hasher(),
        sender=RecordingSender(),
    )
    yield app
    app.close()


@pytest.fixture
def client(connect: Connect) -> testing.TestClient:
    return testing.TestClient(create_app(connect))


def token(connect: Connect, *scopes: Scope, mode: Mode = Mode.LIVE) -> dict[str, str]:
    issued = connect.keys.create(name="t", scopes=frozenset(scopes), mode=mode, created_by="tests")
    return {"Authorization": f"Bearer {issued.token}"}


def test_registration_shows_the_secret_once_and_the_documented_shape(client, connect):
    auth = token(connect, Scope.WEBHOOKS_MANAGE)
    created = client.simulate_post(
        "/api/v1/webhooks", headers=auth, json={"url": URL, "events": ["talk.scheduled"]}
    )
    assert created.status_code == 201
    assert set(created.json) >= WEBHOOK_FIELDS | {"secret"}
    assert created.json["secret"].startswith("whsec_")
    shown = client.simulate_get(f"/api/v1/webhooks/{created.json['id']}", headers=auth)
    assert set(shown.json) >= WEBHOOK_FIELDS and "secret" not in shown.json


def test_bad_urls_and_events_are_422_with_errors_and_nothing_is_stored(client, connect):
    auth = token(connect, Scope.WEBHOOKS_MANAGE)
    reply = client.simulate_post(
        "/api/v1/webhooks",
        headers=auth,
        json={"url": "http://example.org/", "events": ["webhook.test"]},
    )
    assert reply.status_code == 422
    assert {e["field"] for e in reply.json["errors"]} == {"url", "events"}
    # NOTE: which networks a URL may point at is the operator's setting, checked once
    # every field passed its own rules.
    local = {"url": "https://[::ffff:127.0.0.1]/", "events": ["submission.created"]}
    reply = client.simulate_post("/api/v1/webhooks", headers=auth, json=local)
    assert reply.status_code == 422 and reply.json["errors"][0]["field"] == "url"
    assert client.simulate_get("/api/v1/webhooks", headers=auth).json["data"] == []
    patch = client.simulate_patch("/api/v1/webhooks/1", headers=auth, json={"secret": "x"})
    assert patch.status_code == 422


def test_scopes_and_modes_keep_webhooks_apart(client, connect):
    live = token(connect, Scope.WEBHOOKS_MANAGE)
    test = token(connect, Scope.WEBHOOKS_MANAGE, Scope.KEYS_MANAGE, mode=Mode.TEST)
    reader = token(connect, Scope.SUBMISSIONS_READ)
    created = client.simulate_post(
        "/api/v1/webhooks", headers=live, json={"url": URL, "events": ["submission.created"]}
    )
    path = f"/api/v1/webhooks/{created.json['id']}"
    assert client.simulate_get(path, headers=test).status_code == 404
    assert client.simulate_get(path, headers=reader).status_code == 403
    assert client.simulate_get("/api/v1/webhooks").status_code == 401


def test_the_test_send_and_the_delivery_log_have_the_documented_shapes(client, connect):
    auth = token(connect, Scope.WEBHOOKS_MANAGE)
    created = client.simulate_post(
        "/api/v1/webhooks", headers=auth, json={"url": URL, "events": ["submission.created"]}
    )
    path = f"/api/v1/webhooks/{created.json['id']}"
    tested = client.simulate_post(f"{path}/test", headers=auth)
    assert tested.status_code == 200 and tested.json["success"] is True
    assert set(tested.json) >= ATTEMPT_FIELDS
    log = client.simulate_get(f"{path}/deliveries", headers=auth).json
    assert log["next_cursor"] is None
    (delivery,) = log["data"]
    assert set(delivery) == DELIVERY_FIELDS and delivery["event"] == "webhook.test"
    assert set(delivery["attempts"][0]) == ATTEMPT_FIELDS
    rotated = client.simulate_post(
        f"{path}/rotate-secret", headers=auth, json={"grace_seconds": -1}
    )
    assert rotated.status_code == 422
    missing = client.simulate_post("/api/v1/deliveries/999/redeliver", headers=auth)
    assert missing.status_code == 404


def test_a_loopback_url_is_refused_with_the_setting_that_allows_it(client, connect):
    auth = token(connect, Scope.WEBHOOKS_MANAGE)
    reply = client.simulate_post(
        "/api/v1/webhooks",
        headers=auth,
        json={"url": "https://127.0.0.1:9443/hook", "events": ["submission.created"]},
    )
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    assert "CONNECT_WEBHOOK_ALLOW_NETWORKS" in reply.json["detail"]
    assert "CONNECT_WEBHOOK_ALLOW_NETWORKS" in reply.json["errors"][0]["message"]
