from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from connect import verify_webhook
from connect.bootstrap import Connect
from connect.domain.keys import Principal, Scope
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration
from connect.ports.sender import SendResult
from connect.testing import ManualClock, RecordingSender
from tests.conftest import recording_connect, stored_principal

DOWN = "https://down.example.com/in"
WATCH = "https://watch.example.com/ops"
OPS = ["webhook.disabled", "webhook.failing", "webhook.recovered", "delivery.exhausted"]
FORM = SubmissionFields(
    speaker_name="Ferris", talk_context="Borrowing without tears", is_on_behalf=False
)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def connect(clock: ManualClock, sender: RecordingSender) -> Iterator[Connect]:
    # NOTE: one attempt per delivery: each failure also exhausts its delivery.
    app = recording_connect(clock, sender, seed=5, retry_schedule=(0,))
    yield app
    app.close()


@pytest.fixture
def owner(connect: Connect) -> Principal:
    return stored_principal(connect)


def drain(connect: Connect) -> None:
    worker = connect.worker(concurrency=1)
    for _ in range(50):
        if worker.run_once() == 0:
            return
    raise AssertionError("deliveries kept coming")


def events_at(sender: RecordingSender, url: str) -> list[dict]:
    return [json.loads(r.body) for r in sender.to(url)]


def test_an_endpoint_that_fails_five_times_raises_failing_then_recovered(owner, connect, sender):
    down = connect.webhooks.register(
        owner, WebhookRegistration(url=DOWN, events=["submission.created"])
    )
    watch = connect.webhooks.register(owner, WebhookRegistration(url=WATCH, events=OPS))
    sender.answer(DOWN, 500, 500, 500, 500, 500, 200)
    for _ in range(6):
        connect.submissions.submit_form(FORM)
    drain(connect)
    seen = events_at(sender, WATCH)
    kinds = [e["event"] for e in seen]
    assert kinds.count("delivery.exhausted") == 5
    assert kinds.count("webhook.failing") == 1 and kinds.count("webhook.recovered") == 1
    assert kinds.index("webhook.failing") < kinds.index("webhook.recovered")
    failing = next(e for e in seen if e["event"] == "webhook.failing")
    assert failing["data"]["webhook"]["id"] == down.webhook.id
    assert failing["data"]["webhook"]["failure_count"] == 5
    request = sender.to(WATCH)[0]
    verify_webhook(watch.secret, request.headers, request.body, now=connect.clock.now())


def test_the_tenth_failure_raises_disabled_with_the_reason(owner, connect, sender):
    connect.webhooks.register(owner, WebhookRegistration(url=DOWN, events=["submission.created"]))
    connect.webhooks.register(owner, WebhookRegistration(url=WATCH, events=["webhook.disabled"]))
    sender.answer(DOWN, *[500] * 10)
    for _ in range(10):
        connect.submissions.submit_form(FORM)
    drain(connect)
    (disabled,) = events_at(sender, WATCH)
    assert disabled["event"] == "webhook.disabled"
    assert disabled["data"]["reason"] == "10 consecutive failed attempts"
    assert disabled["data"]["webhook"]["active"] is False


def test_an_endpoint_never_hears_of_its_own_failures_and_their_failures_count_for_nothing(
    owner, connect, sender
):
    # Both endpoints are down, each subscribed to the other's news: no loop, no disabling.
    connect.webhooks.register(
        owner, WebhookRegistration(url=DOWN, events=["submission.created", *OPS])
    )
    watch = connect.webhooks.register(owner, WebhookRegistration(url=WATCH, events=OPS)).webhook
    sender.default = SendResult(status_code=500, duration_ms=1)
    for _ in range(12):
        connect.submissions.submit_form(FORM)
    drain(connect)
    assert all(e["event"] == "submission.created" for e in events_at(sender, DOWN))
    assert {e["event"] for e in events_at(sender, WATCH)} == {
        "delivery.exhausted",
        "webhook.failing",
        "webhook.disabled",
    }
    assert connect.webhooks.get(owner, watch.id).failure_count == 0
    assert connect.webhooks.get(owner, watch.id).active


def test_news_of_a_webhook_reaches_its_own_key_and_organizers_only(owner, connect, sender):
    other = stored_principal(connect)
    organizer = stored_principal(
        connect, scopes=frozenset({Scope.WEBHOOKS_MANAGE, Scope.KEYS_MANAGE})
    )
    test_organizer = stored_principal(
        connect, mode=Mode.TEST, scopes=frozenset({Scope.WEBHOOKS_MANAGE, Scope.KEYS_MANAGE})
    )
    connect.webhooks.register(owner, WebhookRegistration(url=DOWN, events=["submission.created"]))
    connect.webhooks.register(
        other, WebhookRegistration(url="https://other.example.com/ops", events=OPS)
    )
    connect.webhooks.register(organizer, WebhookRegistration(url=WATCH, events=OPS))
    connect.webhooks.register(
        test_organizer, WebhookRegistration(url="https://t.example.com/ops", events=OPS)
    )
    sender.answer(DOWN, 500)
    connect.submissions.submit_form(FORM)
    drain(connect)
    assert [e["event"] for e in events_at(sender, WATCH)] == ["delivery.exhausted"]
    assert sender.to("https://other.example.com/ops") == []
    assert sender.to("https://t.example.com/ops") == []
