"""The test send runs on a few threads of its own with a short deadline: a hanging
receiver never holds more than a couple of sends, and never a request for long."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import pytest

from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import Connect, bootstrap
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from connect.domain.errors import Overloaded
from connect.domain.keys import Principal
from connect.domain.requests.webhooks import WebhookRegistration
from connect.ports.sender import SendResult
from connect.services.send_now import SendNow
from connect.services.webhooks import WebhookService
from connect.testing import FixedEntropy, ManualClock, Sha256Hasher
from tests.conftest import stored_principal

URL = "https://hooks.example.com/in"


class HangingSender:
    """Holds every send until ``gate`` opens, then answers 200."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = 0
        self.finished = 0
        self._lock = threading.Lock()

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        with self._lock:
            self.started += 1
        self.gate.wait(30)
        with self._lock:
            self.finished += 1
        return SendResult(status_code=200, duration_ms=1, response_snippet="ok")


@pytest.fixture
def sender() -> Iterator[HangingSender]:
    sender = HangingSender()
    yield sender
    sender.gate.set()


@pytest.fixture
def connect(sender: HangingSender) -> Iterator[Connect]:
    connect = bootstrap(
        Config(db=":memory:"),
        MemoryUnitOfWork(),
        clock=ManualClock(),
        entropy=FixedEntropy(4),
        hasher=Sha256Hasher(),
        sender=sender,
    )
    connect.webhooks = WebhookService(
        connect.uow,
        connect.clock,
        FixedEntropy(5),
        connect.deliveries,
        connect.outbox,
        send_now=SendNow(slots=2, deadline=0.2),
    )
    yield connect
    connect.close()


@pytest.fixture
def owner(connect: Connect) -> Principal:
    return stored_principal(connect)


def test_a_hanging_receiver_gets_a_timed_out_attempt_and_the_third_send_is_refused(
    connect: Connect, owner: Principal, sender: HangingSender
) -> None:
    hook = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    )
    first = connect.webhooks.send_test(owner, hook.webhook.id)
    second = connect.webhooks.send_test(owner, hook.webhook.id)
    for result in (first, second):
        assert result.attempt.status_code is None
        assert result.attempt.error is not None and "timed out" in result.attempt.error
        assert result.delivery.status is DeliveryStatus.FAILED
        assert result.delivery.attempts == (result.attempt,)
    assert (sender.started, sender.finished) == (2, 0), "both still hang in their slots"

    with pytest.raises(Overloaded) as refused:
        connect.webhooks.send_test(owner, hook.webhook.id)
    assert refused.value.retry_after == 1
    log = connect.webhooks.deliveries(owner, hook.webhook.id, limit=10, cursor=None).items
    assert len(log) == 2, "a refused test send stores nothing"
    assert sender.started == 2

    sender.gate.set()
    for thread in threading.enumerate():
        if thread.name == "connect-send-now":
            thread.join(5)
    assert sender.finished == 2
    third = connect.webhooks.send_test(owner, hook.webhook.id)
    assert third.attempt.status_code == 200 and third.delivery.status is DeliveryStatus.SUCCEEDED
    again = connect.webhooks.deliveries(owner, hook.webhook.id, limit=10, cursor=None).items
    assert [d.status for d in again] == [
        DeliveryStatus.SUCCEEDED,
        DeliveryStatus.FAILED,
        DeliveryStatus.FAILED,
    ], "a late answer to a timed-out send does not rewrite its attempt"


def test_a_reservation_given_back_unused_frees_its_slot() -> None:
    send_now = SendNow(slots=1, deadline=1)
    held = send_now.reserve()
    with pytest.raises(Overloaded):
        send_now.reserve()
    held.cancel()
    held.cancel()  # idempotent: a slot is given back once
    assert send_now.reserve().run(lambda: 42) == 42
