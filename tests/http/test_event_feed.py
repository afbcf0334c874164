"""``/api/v1/events`` and ``/api/v1/event-types`` through the app, over each storage."""

from __future__ import annotations

import json

from falcon import testing

from connect.adapters.http.openapi.event_catalog import event_catalog
from connect.bootstrap import Connect
from connect.domain.events import EventType
from connect.domain.keys import Scope
from connect.domain.mode import Mode
from connect.domain.requests.webhooks import WebhookRegistration
from tests.conftest import stored_principal


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def reader(connect: Connect, mode: Mode = Mode.LIVE) -> str:
    scopes = frozenset({Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE})
    return connect.keys.create(name="poller", scopes=scopes, mode=mode, created_by="t").token


def create(client: testing.TestClient, token: str, name: str) -> int:
    body = {"speaker_name": name, "talk_context": "Traits"}
    answer = client.simulate_post("/api/v1/submissions", json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.text
    return int(answer.json["id"])


def test_the_feed_has_every_event_in_order_with_the_body_the_webhook_got(
    connect: Connect, client: testing.TestClient
) -> None:
    owner = stored_principal(connect)
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url="https://hooks.example.org/a", events=["submission.created"])
    ).webhook
    token = reader(connect)
    first = create(client, token, "Ada")
    client.simulate_patch(
        f"/api/v1/submissions/{first}", json={"scheduled_date": "2026-05-01"}, headers=bearer(token)
    )
    create(client, token, "Grace")
    answer = client.simulate_get("/api/v1/events", headers=bearer(token))
    assert answer.status_code == 200
    kinds = [e["event"] for e in answer.json["data"]]
    assert kinds == [
        "submission.created",
        "submission.updated",
        "talk.scheduled",
        "submission.created",
    ]
    assert answer.json["has_more"] is False
    delivered = connect.webhooks.deliveries(owner, hook.id, limit=10, cursor=None).items
    by_id = {d.event_id: d.payload for d in delivered}
    raw = answer.text.encode()
    for event in answer.json["data"]:
        if event["id"] in by_id:
            assert by_id[event["id"]] in raw  # byte for byte the signed webhook body


def test_a_poller_pages_with_after_and_gets_304_while_nothing_is_new(
    connect: Connect, client: testing.TestClient
) -> None:
    token = reader(connect)
    ids = [create(client, token, f"Speaker {n}") for n in range(3)]
    first = client.simulate_get("/api/v1/events?limit=2", headers=bearer(token))
    assert [e["data"]["id"] for e in first.json["data"]] == ids[:2]
    assert first.json["has_more"] is True and "rel=next" in first.headers["Link"]
    cursor = first.json["next_cursor"]
    second = client.simulate_get(f"/api/v1/events?limit=2&after={cursor}", headers=bearer(token))
    assert [e["data"]["id"] for e in second.json["data"]] == ids[2:]
    end = second.json["next_cursor"]
    url = f"/api/v1/events?limit=2&after={end}"
    empty = client.simulate_get(url, headers=bearer(token))
    assert empty.json == {"data": [], "next_cursor": end, "has_more": False}
    tag = empty.headers["ETag"]
    assert empty.headers["Cache-Control"] == "private, no-cache"
    unchanged = client.simulate_get(url, headers={**bearer(token), "If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.text == ""
    newest = create(client, token, "Late")
    changed = client.simulate_get(url, headers={**bearer(token), "If-None-Match": tag})
    assert changed.status_code == 200
    assert [e["data"]["id"] for e in changed.json["data"]] == [newest]


def test_types_filter_the_feed_and_an_unknown_type_is_a_422_with_a_guess(
    connect: Connect, client: testing.TestClient
) -> None:
    token = reader(connect)
    id = create(client, token, "Ada")
    client.simulate_patch(
        f"/api/v1/submissions/{id}", json={"scheduled_date": "2026-05-01"}, headers=bearer(token)
    )
    only = client.simulate_get("/api/v1/events?types=talk.scheduled", headers=bearer(token))
    assert [e["event"] for e in only.json["data"]] == ["talk.scheduled"]
    wrong = client.simulate_get("/api/v1/events?types=talk.schedule", headers=bearer(token))
    assert wrong.status_code == 422
    assert wrong.headers["Content-Type"] == "application/problem+json"
    assert "did you mean 'talk.scheduled'" in wrong.text
    bad_cursor = client.simulate_get("/api/v1/events?after=nope", headers=bearer(token))
    assert bad_cursor.status_code == 422


def test_a_test_mode_key_sees_only_test_mode_events_and_a_live_key_only_live_ones(
    connect: Connect, client: testing.TestClient
) -> None:
    live, test = reader(connect), reader(connect, Mode.TEST)
    create(client, live, "Live Speaker")
    create(client, test, "Test Speaker")
    seen_by_test = client.simulate_get("/api/v1/events", headers=bearer(test))
    seen_by_live = client.simulate_get("/api/v1/events", headers=bearer(live))
    assert [e["data"]["speaker_name"] for e in seen_by_test.json["data"]] == ["Test Speaker"]
    assert [e["data"]["speaker_name"] for e in seen_by_live.json["data"]] == ["Live Speaker"]
    assert seen_by_test.headers["ETag"] != seen_by_live.headers["ETag"]


def test_the_catalog_is_public_and_its_schemas_are_the_webhooks_sections(
    client: testing.TestClient,
) -> None:
    answer = client.simulate_get("/api/v1/event-types")
    assert answer.status_code == 200
    catalog = {entry["type"]: entry for entry in answer.json["data"]}
    assert set(catalog) == {t.value for t in EventType}
    document = client.simulate_get("/openapi.json").json
    assert answer.json["data"] == json.loads(json.dumps(event_catalog(document)))
    schemas = document["components"]["schemas"]
    for kind, entry in catalog.items():
        body = document["webhooks"][kind]["post"]["requestBody"]["content"]["application/json"]
        name = body["schema"]["$ref"].rsplit("/", 1)[-1]
        assert entry["schema"]["$ref"] == f"#/$defs/{name}"
        assert entry["schema"]["$defs"][name]["required"] == schemas[name]["required"]
        assert entry["example"]["event"] == kind
        assert entry["description"] in document["webhooks"][kind]["post"]["description"]
    deleted = catalog["submission.deleted"]
    assert deleted["subscribable"] and deleted["in_feed"]
    assert deleted["example"]["data"] == {"id": 42}
    assert not catalog["webhook.test"]["in_feed"]
    assert "Submission" in catalog["submission.created"]["schema"]["$defs"]


def test_erasing_answers_204_then_404_and_the_feed_tells_of_it_with_the_id_alone(
    connect: Connect, client: testing.TestClient
) -> None:
    writer = reader(connect)
    organizer = connect.keys.create(
        name="org", scopes=frozenset({Scope.KEYS_MANAGE}), created_by="t"
    ).token
    id = create(client, writer, "Erin Erasable")
    refused = client.simulate_delete(f"/api/v1/submissions/{id}", headers=bearer(writer))
    assert refused.status_code == 403
    assert (
        client.simulate_delete(f"/api/v1/submissions/{id}", headers=bearer(organizer)).status_code
        == 204
    )
    again = client.simulate_delete(f"/api/v1/submissions/{id}", headers=bearer(organizer))
    assert again.status_code == 404
    assert (
        client.simulate_get(f"/api/v1/submissions/{id}", headers=bearer(writer)).status_code == 404
    )
    feed = client.simulate_get("/api/v1/events", headers=bearer(writer))
    assert "Erasable" not in feed.text
    assert [(e["event"], e["data"]) for e in feed.json["data"]] == [
        ("submission.created", {"id": id}),
        ("submission.deleted", {"id": id}),
    ]
