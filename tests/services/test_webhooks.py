from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from connect import verify_webhook
from connect.adapters.http.structure import structure
from connect.bootstrap import Connect
from connect.domain.deliveries import DeliveryStatus
from connect.domain.errors import Forbidden, NotFound, ValidationFailed
from connect.domain.keys import Principal, Scope
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookPatch, WebhookRegistration
from connect.ports.sender import SendResult
from connect.testing import ManualClock, RecordingSender
from tests.conftest import principal, recording_connect, stored_principal

URL = "https://hooks.example.com/in"
FORM = SubmissionFields(
    speaker_name="Ferris", talk_context="Borrowing without tears", is_on_behalf=False
)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def connect(clock: ManualClock, sender: RecordingSender) -> Iterator[Connect]:
    app = recording_connect(clock, sender, seed=3, retry_schedule=(0, 5, 60))
    yield app
    app.close()


@pytest.fixture
def owner(connect: Connect) -> Principal:
    return stored_principal(connect)


def deliver(connect: Connect) -> int:
    return connect.worker(concurrency=1).run_once()


def test_a_form_submission_is_delivered_signed_to_a_subscribed_webhook(
    owner, connect, sender, clock
):
    issued = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    )
    connect.submissions.submit_form(FORM)
    assert deliver(connect) == 1
    (request,) = sender.sent
    verify_webhook(issued.secret, request.headers, request.body, now=clock.now())
    body = json.loads(request.body)
    assert body["event"] == "submission.created" and body["data"]["speaker_name"] == "Ferris"
    assert request.headers["X-Connect-Attempt"] == "1"
    assert request.headers["webhook-id"] == body["id"]


def test_other_modes_and_events_get_nothing(owner, connect, sender):
    test_owner = stored_principal(connect, mode=Mode.TEST)
    connect.webhooks.register(
        test_owner, WebhookRegistration(url=URL, events=["submission.created"])
    )
    connect.webhooks.register(owner, WebhookRegistration(url=URL, events=["talk.scheduled"]))
    connect.submissions.submit_form(FORM)
    assert deliver(connect) == 0 and sender.sent == []


def test_a_failing_receiver_is_retried_on_schedule_with_the_same_webhook_id(
    owner, connect, sender, clock
):
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    sender.answer(URL, 500, SendResult(status_code=503, duration_ms=3, retry_after="30"), 200)
    connect.submissions.submit_form(FORM)
    assert deliver(connect) == 1
    assert deliver(connect) == 0  # not due before about 5 s (+/-20%)
    clock.advance(7)
    assert deliver(connect) == 1
    clock.advance(20)
    assert deliver(connect) == 0  # the receiver asked for 30 s
    clock.advance(11)
    assert deliver(connect) == 1
    ids = {r.headers["webhook-id"] for r in sender.sent}
    assert len(ids) == 1 and [r.headers["X-Connect-Attempt"] for r in sender.sent] == [
        "1",
        "2",
        "3",
    ]
    (delivery,) = connect.webhooks.deliveries(owner, hook.id, limit=10, cursor=None).items
    assert delivery.status is DeliveryStatus.SUCCEEDED
    assert [a.status_code for a in delivery.attempts] == [500, 503, 200]
    assert connect.webhooks.get(owner, hook.id).failure_count == 0


def test_ten_failures_disable_the_webhook_and_re_enabling_delivers_what_waited(
    owner, connect, sender, clock
):
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    sender.answer(URL, *[500] * 10)
    for _ in range(10):
        connect.submissions.submit_form(FORM)
    assert deliver(connect) == 10
    disabled = connect.webhooks.get(owner, hook.id)
    assert not disabled.active and disabled.failure_count == 10
    connect.submissions.submit_form(FORM)  # arrives while disabled: kept, paused
    clock.advance(3600)
    assert deliver(connect) == 0
    connect.webhooks.update(owner, hook.id, WebhookPatch(active=True))
    assert connect.webhooks.get(owner, hook.id).failure_count == 0
    assert deliver(connect) == 11
    page = connect.webhooks.deliveries(owner, hook.id, limit=50, cursor=None)
    assert {d.status for d in page.items} == {DeliveryStatus.SUCCEEDED}


def test_410_disables_at_once(owner, connect, sender):
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    sender.answer(URL, 410)
    connect.submissions.submit_form(FORM)
    deliver(connect)
    assert not connect.webhooks.get(owner, hook.id).active


def test_keys_see_only_their_own_webhooks_and_organizers_see_all(owner, connect):
    mine = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    other = principal(scopes=frozenset({Scope.WEBHOOKS_MANAGE}), key=9)
    with pytest.raises(NotFound):
        connect.webhooks.get(other, mine.id)
    assert connect.webhooks.list(other, limit=10, cursor=None).items == []
    assert [w.id for w in connect.webhooks.list(principal(), limit=10, cursor=None).items] == [
        mine.id
    ]


def test_bad_urls_and_events_are_refused_with_field_errors(owner, connect):
    with pytest.raises(ValidationFailed) as refused:
        structure({"url": "http://127.0.0.1/", "events": ["nope"]}, WebhookRegistration)
    assert {e.field for e in refused.value.errors} == {"url", "events"}
    local = WebhookRegistration(url="https://127.0.0.1/", events=["submission.created"])
    with pytest.raises(ValidationFailed) as refused:
        connect.webhooks.register(owner, local)
    assert "CONNECT_WEBHOOK_ALLOW_NETWORKS" in refused.value.errors[0].message
    with connect.uow(write=False) as stores:
        assert stores.webhooks.list(owner.mode, owner=None, limit=10, before=None) == []


def test_rotation_signs_with_both_secrets_during_the_grace_period(owner, connect, sender, clock):
    issued = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    )
    rotated = connect.webhooks.rotate_secret(owner, issued.webhook.id, 3600)
    result = connect.webhooks.send_test(owner, issued.webhook.id)
    assert result.attempt.status_code == 200
    request = sender.sent[-1]
    for secret in (issued.secret, rotated.secret):
        verify_webhook(secret, request.headers, request.body, now=clock.now())
    assert json.loads(request.body)["event"] == "webhook.test"


@pytest.mark.parametrize(
    ("status", "recorded"),
    [
        (200, DeliveryStatus.SUCCEEDED),
        (299, DeliveryStatus.SUCCEEDED),
        (199, DeliveryStatus.FAILED),
        (300, DeliveryStatus.FAILED),
        (410, DeliveryStatus.FAILED),
        (500, DeliveryStatus.FAILED),
    ],
)
def test_a_test_send_succeeds_on_2xx_alone_and_never_disables_or_retries(
    owner, connect, sender, status, recorded
):
    hook = connect.webhooks.register(owner, WebhookRegistration(url=URL, events=["talk.scheduled"]))
    sender.answer(URL, status)
    result = connect.webhooks.send_test(owner, hook.webhook.id)
    assert result.attempt.status_code == status
    assert result.delivery.status is recorded
    assert result.delivery.next_attempt_at is None
    assert connect.webhooks.get(owner, hook.webhook.id).active


def test_redeliver_sends_again_with_the_same_webhook_id(owner, connect, sender):
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    connect.submissions.submit_form(FORM)
    deliver(connect)
    (delivery,) = connect.webhooks.deliveries(owner, hook.id, limit=1, cursor=None).items
    connect.webhooks.redeliver(owner, delivery.id)
    assert deliver(connect) == 1
    assert sender.sent[0].headers["webhook-id"] == sender.sent[1].headers["webhook-id"]
    assert sender.sent[1].headers["X-Connect-Attempt"] == "2"


def test_key_rotation_moves_webhook_ownership(connect):
    organizer = principal()
    issued = connect.keys.create(
        name="bot", scopes=frozenset({Scope.WEBHOOKS_MANAGE}), created_by="tests"
    )
    owner = principal(scopes=frozenset({Scope.WEBHOOKS_MANAGE}), key=issued.key.id)
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    new = connect.keys.rotate(organizer, issued.key.key_id, grace_seconds=0)
    assert connect.webhooks.get(organizer, hook.id).api_key_id == new.key.id


def test_each_attempt_logs_one_structured_line_without_secrets(owner, connect, sender, caplog):
    issued = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    )
    connect.submissions.submit_form(FORM)
    with caplog.at_level("INFO", logger="connect.delivery"):
        deliver(connect)
    (record,) = [r for r in caplog.records if r.name == "connect.delivery"]
    assert record.webhook_id == issued.webhook.id and record.attempt == 1
    assert record.event == "submission.created" and record.status_code == 200
    signature = sender.sent[0].headers["webhook-signature"]
    text = record.getMessage() + repr(vars(record))
    assert issued.secret not in text and signature not in text and URL not in text


def test_revoking_a_key_disables_its_webhooks_and_keeps_their_deliveries(owner, connect, sender):
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    connect.submissions.submit_form(FORM)
    connect.keys.revoke(principal(), owner.key_id)
    disabled = connect.webhooks.get(principal(), hook.id)
    assert not disabled.active and disabled.disabled_reason == "owner_revoked"
    assert deliver(connect) == 0
    assert sender.sent == []
    connect.submissions.submit_form(FORM)
    assert deliver(connect) == 0
    log = connect.webhooks.deliveries(principal(), hook.id, limit=10, cursor=None).items
    assert len(log) == 2 and all(d.status is DeliveryStatus.PAUSED for d in log)


def test_an_organizer_moves_a_revoked_keys_webhook_to_another_key_and_re_enables_it(
    owner, connect, sender
):
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    connect.submissions.submit_form(FORM)
    connect.keys.revoke(principal(), owner.key_id)
    heir = stored_principal(connect)
    organizer = principal()
    moved = connect.webhooks.update(
        organizer, hook.id, WebhookPatch(api_key_id=heir.key, active=True)
    )
    assert moved.active and moved.api_key_id == heir.key
    assert deliver(connect) == 1
    assert len(sender.sent) == 1
    assert connect.webhooks.get(heir, hook.id) == moved


def test_only_an_organizer_moves_a_webhook_and_only_to_a_usable_key(owner, connect):
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    other = stored_principal(connect)
    with pytest.raises(Forbidden):
        connect.webhooks.update(owner, hook.id, WebhookPatch(api_key_id=other.key))
    reader = connect.keys.create(
        name="reader", scopes=frozenset({Scope.SUBMISSIONS_READ}), created_by="t"
    ).key
    tester = stored_principal(connect, mode=Mode.TEST)
    for bad in (reader.id, tester.key, 10_000, "7", True, 0, 2**63):
        with pytest.raises(ValidationFailed) as refused:
            connect.webhooks.update(principal(), hook.id, WebhookPatch(api_key_id=bad))
        assert refused.value.errors[0].field == "api_key_id"
    connect.keys.revoke(principal(), other.key_id)
    with pytest.raises(ValidationFailed, match="revoked"):
        connect.webhooks.update(principal(), hook.id, WebhookPatch(api_key_id=other.key))
    assert connect.webhooks.get(owner, hook.id).api_key_id == owner.key
