from __future__ import annotations

from collections.abc import Iterator

import pytest

from connect.bootstrap import Connect
from connect.domain.deliveries import DeliveryStatus
from connect.domain.errors import NotFound, ValidationFailed
from connect.domain.keys import Scope
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import RecoveryRequest, WebhookRegistration
from connect.ports.sender import SendResult
from connect.testing import ManualClock, RecordingSender
from tests.conftest import principal, recording_connect, stored_principal

URL = "https://hooks.example.com/in"
FORM = SubmissionFields(
    speaker_name="Ferris", talk_context="Borrowing without tears", is_on_behalf=False
)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender(default=SendResult(status_code=500, duration_ms=1))


@pytest.fixture
def connect(clock: ManualClock, sender: RecordingSender) -> Iterator[Connect]:
    app = recording_connect(clock, sender, seed=9, retry_schedule=(0,))
    yield app
    app.close()


def test_recovery_requeues_given_up_deliveries_but_not_test_sends(connect, sender, clock):
    owner = stored_principal(connect)
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    connect.submissions.submit_form(FORM)
    connect.worker(concurrency=1).run_once()
    connect.webhooks.send_test(owner, hook.id)
    log = connect.webhooks.deliveries(owner, hook.id, limit=10, cursor=None).items
    assert [d.status for d in log] == [DeliveryStatus.FAILED] * 2
    clock.advance(60)
    recovery = connect.webhooks.recover(owner, hook.id, RecoveryRequest(since="2026-02-06"))
    assert recovery.recovered == 1
    log = connect.webhooks.deliveries(owner, hook.id, limit=10, cursor=None).items
    assert [d.event.value for d in log if d.status is DeliveryStatus.PENDING] == [
        "submission.created"
    ]


def test_a_test_key_cannot_recover_a_live_webhook_nor_another_keys(connect):
    owner = stored_principal(connect)
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    ).webhook
    for stranger in (
        principal(Mode.TEST, frozenset({Scope.WEBHOOKS_MANAGE, Scope.KEYS_MANAGE})),
        principal(Mode.LIVE, frozenset({Scope.WEBHOOKS_MANAGE}), key=999),
    ):
        with pytest.raises(NotFound):
            connect.webhooks.recover(stranger, hook.id, RecoveryRequest(since="2026-02-06"))


def test_a_bad_window_is_refused_before_the_webhook_is_read(connect):
    with pytest.raises(ValidationFailed):
        connect.webhooks.recover(
            stored_principal(connect), 12345, RecoveryRequest(since="2026-01-01")
        )
