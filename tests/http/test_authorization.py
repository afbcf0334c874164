"""Authorization, exhaustively: every operation of the route table, generated from it.

For every operation that needs a key: a key holding every scope but the required one is
refused (403) before anything happens; a key holding only the required scope gets
through; a test-mode key holding every scope never sees or changes live data.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from attrs import evolve
from falcon import testing

from connect.adapters.http import create_app
from connect.adapters.http.routes import ROUTES
from connect.bootstrap import Connect
from connect.domain.access import Access
from connect.domain.keys import ALL_SCOPES, Principal, Scope
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration

OPERATIONS = [
    (method, route.path, access)
    for route in ROUTES
    for method, access in route.access.items()
    if not access.public
]
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]
LIVE_MARK = "LIVEMARK"

# A valid body for each operation that takes one: an operation added to the table
# without one here fails test_every_operation_has_a_sample_request.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/submissions"): {"speaker_name": "Ada", "talk_context": "Borrowing"},
    ("PATCH", "/api/v1/submissions/{id}"): {"status": "reviewing"},
    ("POST", "/api/v1/keys"): {"name": "made", "scopes": ["keys:manage"]},
    ("POST", "/api/v1/keys/{id}/rotate"): {"grace_seconds": 0},
    ("POST", "/api/v1/webhooks"): {
        "url": "https://hooks.example.org/new",
        "events": ["submission.created"],
    },
    ("PATCH", "/api/v1/webhooks/{id}"): {"events": ["submission.created", "talk.scheduled"]},
    ("POST", "/api/v1/webhooks/{id}/rotate-secret"): {"grace_seconds": 0},
    # NOTE: the ManualClock reads 2026-02-06T13:57:40Z.
    ("POST", "/api/v1/webhooks/{id}/recover"): {"since": "2026-02-05"},
}
NO_BODY = {
    ("GET", p) for _, p, _ in OPERATIONS if ("GET", p) in {(m, q) for m, q, _ in OPERATIONS}
} | {
    ("DELETE", "/api/v1/keys/{id}"),
    ("DELETE", "/api/v1/submissions/{id}"),
    ("DELETE", "/api/v1/webhooks/{id}"),
    ("POST", "/api/v1/webhooks/{id}/test"),
    ("POST", "/api/v1/deliveries/{id}/redeliver"),
}


@pytest.fixture
def connect(offline_connect: Connect) -> Connect:
    """Memory and SQLite; webhooks go to a recording sender, never the network."""
    return offline_connect


class World:
    """What one operation is tried against: an actor key and, in the mode of
    ``targets``, a key, a submission, a webhook owned by the actor and a delivery."""

    def __init__(self, connect: Connect, actor: frozenset[Scope], mode: Mode, targets: Mode):
        issued = connect.keys.create(name="actor", scopes=actor, mode=mode, created_by="t")
        self.token = issued.token
        owner = issued.key if mode is targets else self._key(connect, targets, "owner")
        self.key = self._key(connect, targets, f"{LIVE_MARK} target", {Scope.KEYS_MANAGE})
        self.webhook = connect.webhooks.register(
            Principal.of(owner),
            WebhookRegistration(
                url=f"https://{LIVE_MARK.lower()}.example.org/hook",
                events=["submission.created", "submission.updated", "talk.scheduled"],
            ),
        ).webhook
        writer = Principal.of(owner)
        self.submission = connect.submissions.create(
            writer, SubmissionFields(speaker_name=f"{LIVE_MARK} speaker", talk_context="Lifetimes")
        )
        delivery = connect.webhooks.deliveries(writer, self.webhook.id, limit=1, cursor=None)
        self.delivery = delivery.items[0]

    @staticmethod
    def _key(connect: Connect, mode: Mode, name: str, scopes: set[Scope] | None = None) -> Any:
        scopes = scopes or {Scope.WEBHOOKS_MANAGE, Scope.SUBMISSIONS_WRITE}
        return connect.keys.create(
            name=name, scopes=frozenset(scopes), mode=mode, created_by="t"
        ).key

    def path(self, template: str) -> str:
        if "{id}" not in template:
            return template
        ids = {
            "submissions": self.submission.id,
            "keys": self.key.id,
            "webhooks": self.webhook.id,
            "deliveries": self.delivery.id,
        }
        collection = template.split("/")[3]
        return template.replace("{id}", str(ids[collection]))


def call(client: testing.TestClient, world: World, method: str, path: str) -> testing.Result:
    body = BODIES.get((method, path))
    return client.simulate_request(
        method,
        world.path(path),
        headers={"Authorization": f"Bearer {world.token}"},
        body=json.dumps(body) if body is not None else None,
    )


def test_every_operation_has_a_sample_request() -> None:
    for method, path, _ in OPERATIONS:
        assert (method, path) in BODIES or (method, path) in NO_BODY, f"{method} {path}"


@pytest.mark.parametrize(("method", "path", "access"), OPERATIONS, ids=IDS)
def test_a_key_with_every_scope_but_the_required_one_is_refused_before_anything_happens(
    connect: Connect, method: str, path: str, access: Access
) -> None:
    assert access.scope is not None
    world = World(connect, ALL_SCOPES - {access.scope}, Mode.LIVE, Mode.LIVE)
    client = testing.TestClient(create_app(connect))
    before = _state(connect)
    answer = call(client, world, method, path)
    assert answer.status_code == 403, answer.text
    assert answer.json["type"].endswith("problem-forbidden")
    assert access.scope.value in answer.json["detail"]
    assert _state(connect) == before


@pytest.mark.parametrize(("method", "path", "access"), OPERATIONS, ids=IDS)
def test_a_key_with_only_the_required_scope_gets_through(
    connect: Connect, method: str, path: str, access: Access
) -> None:
    assert access.scope is not None
    world = World(connect, frozenset({access.scope}), Mode.LIVE, Mode.LIVE)
    client = testing.TestClient(create_app(connect))
    answer = call(client, world, method, path)
    assert answer.status_code < 400, f"{answer.status_code} {answer.text}"


@pytest.mark.parametrize(("method", "path", "access"), OPERATIONS, ids=IDS)
def test_a_test_mode_key_with_every_scope_never_sees_or_changes_live_data(
    connect: Connect, method: str, path: str, access: Access
) -> None:
    world = World(connect, ALL_SCOPES, Mode.TEST, Mode.LIVE)
    # Live traffic the audit log and the metrics record.
    organizer = connect.keys.create(name="org", scopes=ALL_SCOPES, created_by="t").token
    client = testing.TestClient(create_app(connect))
    for live_path in ("/api/v1/submissions", "/api/v1/keys", "/api/v1/exports/submissions.csv"):
        client.simulate_get(live_path, headers={"Authorization": f"Bearer {organizer}"})
    connect.audit.flush()
    before = _state(connect)
    answer = call(client, world, method, path)
    connect.audit.flush()
    assert LIVE_MARK not in answer.text
    assert "rnc_live_" not in answer.text
    if "{id}" in path:
        assert answer.status_code == 404, f"{answer.status_code} {answer.text}"
    assert _live(_state(connect)) == _live(before)
    if path == "/api/v1/metrics":
        assert answer.json["api_keys_created"] == 1  # the test key itself
        assert answer.json["requests_7d"] == 0


def _state(connect: Connect) -> list[str]:
    """Every stored key, webhook, submission and delivery, as text (``last_used_at``
    aside: authenticating touches it)."""
    organizer = Principal(key=0, key_id="rnc_live_00000000", scopes=ALL_SCOPES, mode=Mode.LIVE)
    rows: list[str] = []
    keys = connect.keys.list(organizer, limit=200, cursor=None).items
    rows += [repr((k.id, k.name, k.scopes, k.mode, k.revoked_at, k.key_hash)) for k in keys]
    for mode in Mode:
        viewer = Principal(key=0, key_id="x", scopes=ALL_SCOPES, mode=mode)
        hooks = connect.webhooks.list(viewer, limit=200, cursor=None).items
        rows += [repr(h) for h in hooks]
        for hook in hooks:
            log = connect.webhooks.deliveries(viewer, hook.id, limit=200, cursor=None).items
            rows += [repr((hook.mode, d.id, d.status, d.next_attempt_at)) for d in log]
        subs = connect.submissions.list(viewer, limit=200, cursor=None).items
        rows += [repr(s) for s in subs]
    return rows


def _live(state: list[str]) -> list[str]:
    return [row for row in state if "live" in row.lower()]


def test_a_resource_answering_a_method_its_route_does_not_declare_stops_the_app(
    connect: Connect,
) -> None:
    class Sneaky:
        def on_get(self, req: object, resp: object) -> None: ...

        def on_delete(self, req: object, resp: object) -> None: ...

    routes = [
        evolve(r, resource=lambda s, d: Sneaky()) if r.path == "/api/v1/schedule" else r
        for r in ROUTES
    ]
    with pytest.raises(ValueError, match="/api/v1/schedule"):
        create_app(connect, routes)


def test_a_resource_added_behind_the_tables_back_is_refused(connect: Connect) -> None:
    class Open:
        def on_get(self, req: object, resp: Any) -> None:
            resp.media = {"secret": "data"}

    app = create_app(connect)
    app.add_route("/api/v1/backdoor", Open())
    answer = testing.TestClient(app).simulate_get("/api/v1/backdoor")
    assert answer.status_code == 403 and "secret" not in answer.text
