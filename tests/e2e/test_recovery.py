"""Recovery after an outage and operational events, end to end: the real server and
its embedded worker over a real SQLite file, real HTTPS receivers (trustme)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme

from connect import verify_webhook
from connect.config import Config
from connect.domain.time import format_instant
from connect.entrypoints.serve import start_embedded
from connect.testing import wait_until
from tests.e2e.receiver import Receiver, write_ca
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
FORM = {"speakerName": "Ferris", "talkContext": "Fearless concurrency", "isOnBehalf": False}
OPS = ["webhook.disabled", "webhook.failing", "webhook.recovered", "delivery.exhausted"]


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def receivers(ca: trustme.CA) -> Iterator[tuple[Receiver, Receiver]]:
    made = (Receiver(ca), Receiver(ca))
    yield made
    for receiver in made:
        receiver.close()


@pytest.fixture
def served(ca: trustme.CA, tmp_path: Path) -> Iterator[RunningServer]:
    config = Config(
        webhook_allow_networks=("127.0.0.0/8", "::1/128"),
        webhook_ca_bundle=str(write_ca(ca, tmp_path)),
        retry_schedule=(0, 0),  # two attempts, then given up
        delivery_rate_per_second=0,
        worker_lease_seconds=2,
        form_limit=(0, 900),
    )
    running = RunningServer(tmp_path / "connect.db", config)
    worker, thread = start_embedded(running.connect)
    yield running
    worker.stop()
    thread.join(timeout=20)
    running.http.clear()
    running.close()


def register(server: RunningServer, token: str, url: str, events: list[str]) -> dict:
    body = {"url": url, "events": events}
    reply = server.request("POST", "/api/v1/webhooks", token=token, json_body=body)
    assert reply.status == 201, reply
    return dict(reply.json())


def statuses(server: RunningServer, token: str, hook: dict) -> list[str]:
    reply = server.request("GET", f"/api/v1/webhooks/{hook['id']}/deliveries", token=token)
    return [d["status"] for d in reply.json()["data"]]


def test_after_an_outage_one_call_recovers_every_given_up_delivery(served, receivers):
    inbox, ops = receivers
    integrator = served.key("webhooks:manage")
    organizer = served.key("webhooks:manage", "keys:manage", name="organizer")
    hook = register(served, integrator, inbox.url, ["submission.created"])
    watch = register(served, organizer, ops.url, OPS)
    inbox.script = [500] * 6  # the outage: 3 deliveries x 2 attempts
    for _ in range(3):
        assert served.request("POST", "/api/submissions", json_body=FORM).status == 201
    assert wait_until(lambda: statuses(served, integrator, hook) == ["failed"] * 3)
    assert wait_until(lambda: ops.count() == 4)  # 3 exhausted, 1 failing
    given_up = {r.headers["webhook-id"] for r in inbox.received}
    assert len(given_up) == 3

    since = format_instant(datetime.now(UTC) - timedelta(hours=1))
    path = f"/api/v1/webhooks/{hook['id']}/recover"
    reply = served.request("POST", path, token=integrator, json_body={"since": since})
    assert reply.status == 202, reply
    assert reply.json()["recovered"] == 3 and reply.json()["since"] == since

    assert wait_until(lambda: inbox.count() == 9)
    assert {r.headers["webhook-id"] for r in inbox.received[6:]} == given_up
    assert wait_until(lambda: statuses(served, integrator, hook) == ["succeeded"] * 3)
    again = served.request("POST", path, token=integrator, json_body={"since": since})
    assert again.status == 202 and again.json()["recovered"] == 0

    assert wait_until(lambda: ops.count() == 5)
    kinds = [json.loads(r.body)["event"] for r in ops.received]
    assert kinds.count("delivery.exhausted") == 3 and kinds.count("webhook.failing") == 1
    assert kinds[-1] == "webhook.recovered"
    for got in ops.received:
        verify_webhook(watch["secret"], got.headers, got.body)
        assert json.loads(got.body)["data"]["webhook"]["id"] == hook["id"]


def test_a_bad_window_or_a_disabled_webhook_is_a_problem_and_queues_nothing(served, receivers):
    inbox, _ = receivers
    token = served.key("webhooks:manage")
    hook = register(served, token, inbox.url, ["submission.created"])
    path = f"/api/v1/webhooks/{hook['id']}/recover"
    now = datetime.now(UTC)
    old = format_instant(now - timedelta(days=15))
    hour_ago, two_hours_ago = (format_instant(now - timedelta(hours=h)) for h in (1, 2))
    for body, field in (  # each queues nothing
        ({}, "since"),
        ({"since": old}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"since": hour_ago, "until": two_hours_ago}, "until"),
        ({"since": format_instant(datetime.now(UTC)), "untill": "x"}, "untill"),
    ):
        reply = served.request("POST", path, token=token, json_body=body)
        assert reply.status == 422, (body, reply)
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert field in {e["field"] for e in reply.json()["errors"]}
    patch = served.request(
        "PATCH", f"/api/v1/webhooks/{hook['id']}", token=token, json_body={"active": False}
    )
    assert patch.status == 200
    since = format_instant(datetime.now(UTC) - timedelta(hours=1))
    reply = served.request("POST", path, token=token, json_body={"since": since})
    assert reply.status == 409 and "re-enable" in reply.json()["detail"]
    other = served.key("webhooks:manage", name="other")
    assert served.request("POST", path, token=other, json_body={"since": since}).status == 404
