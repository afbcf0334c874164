from __future__ import annotations

import threading
import time
from collections.abc import Mapping

import pytest

from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.system import SystemClock
from connect.adapters.system.worker import DeliveryWorker
from connect.bootstrap import bootstrap
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration
from connect.ports.sender import SendResult
from connect.services.delivery import DeliveryService
from connect.testing import FixedEntropy, Sha256Hasher, wait_until
from tests.conftest import stored_principal

FORM = SubmissionFields(speaker_name="Ferris", talk_context="Pinning, gently", is_on_behalf=False)


class TimingSender:
    """Records when each request started; requests to ``slow`` URLs (one, or a set)
    block until released."""

    def __init__(self, slow: str | set[str] = "") -> None:
        self.starts: dict[str, list[float]] = {}
        self.slow = {slow} if isinstance(slow, str) else slow
        self.release = threading.Event()
        self.in_flight: dict[str, int] = {}
        self.most: dict[str, int] = {}
        self._lock = threading.Lock()

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        with self._lock:
            self.starts.setdefault(url, []).append(time.monotonic())
            self.in_flight[url] = self.in_flight.get(url, 0) + 1
            self.most[url] = max(self.most.get(url, 0), self.in_flight[url])
        if url in self.slow:
            self.release.wait(10)
        with self._lock:
            self.in_flight[url] -= 1
        return SendResult(status_code=200, duration_ms=1)


def connect_with(sender, rate: int):
    return bootstrap(
        Config(db=":memory:", delivery_rate_per_second=rate),
        MemoryUnitOfWork(),
        clock=SystemClock(),
        entropy=FixedEntropy(5),
        hasher=Sha256Hasher(),
        sender=sender,
    )


def test_one_endpoint_gets_at_most_its_rate_per_second():
    sender = TimingSender()
    connect = connect_with(sender, rate=40)
    connect.webhooks.register(
        stored_principal(connect),
        WebhookRegistration(url="https://a.example/", events=["submission.created"]),
    )
    for _ in range(60):
        connect.submissions.submit_form(FORM)
    worker = connect.worker(concurrency=8)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert wait_until(lambda: len(sender.starts.get("https://a.example/", [])) == 60)
    finally:
        worker.stop()
        thread.join(10)
    starts = sender.starts["https://a.example/"]
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s < start + 1.0) <= 40


def test_a_stuck_endpoint_holds_one_thread_and_shutdown_gives_back_its_queue():
    sender = TimingSender(slow="https://stuck.example/")
    connect = connect_with(sender, rate=0)
    for url in ("https://stuck.example/", "https://fine.example/"):
        connect.webhooks.register(
            stored_principal(connect), WebhookRegistration(url=url, events=["submission.created"])
        )
    for _ in range(20):
        connect.submissions.submit_form(FORM)
    worker = DeliveryWorker(connect.deliveries, concurrency=4, per_endpoint=2, rate=0)
    connect.outbox.listen(worker.wake)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert wait_until(lambda: len(sender.starts.get("https://fine.example/", [])) == 20)
        # it never answered, so it never earned more than its first slot
        assert sender.most["https://stuck.example/"] == 1
    finally:
        worker.stop()
        sender.release.set()
        thread.join(10)
    assert not thread.is_alive()
    with connect.uow(write=False) as stores:
        # nothing is left leased: attempted, or given back as pending
        assert stores.deliveries.count(DeliveryStatus.IN_FLIGHT) == 0
        assert stores.deliveries.count(DeliveryStatus.SUCCEEDED) == 21
        assert stores.deliveries.count(DeliveryStatus.PENDING) == 19


def test_a_busy_endpoints_backlog_does_not_make_the_waiting_worker_claim_on_every_poll(
    monkeypatch: pytest.MonkeyPatch,
):
    sender = TimingSender(slow="https://stuck.example/")
    connect = connect_with(sender, rate=0)
    connect.webhooks.register(
        stored_principal(connect),
        WebhookRegistration(url="https://stuck.example/", events=["submission.created"]),
    )
    for _ in range(10):
        connect.submissions.submit_form(FORM)
    deliveries = connect.deliveries
    claims: list[int] = []
    polls: list[float | None] = []
    claim, next_due_in = DeliveryService.claim, DeliveryService.next_due_in

    def counted_claim(*args, **kwargs):
        claimed = claim(*args, **kwargs)
        claims.append(len(claimed))
        return claimed

    def counted_poll(*args, **kwargs):
        polls.append(next_due_in(*args, **kwargs))
        return polls[-1]

    # NOTE: services are frozen: the class is patched (for this test only), not the instance.
    monkeypatch.setattr(DeliveryService, "claim", counted_claim)
    monkeypatch.setattr(DeliveryService, "next_due_in", counted_poll)
    worker = DeliveryWorker(
        deliveries, concurrency=4, per_endpoint=2, rate=0, poll_seconds=0.001, sweep_seconds=3600
    )
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert wait_until(lambda: sender.in_flight.get("https://stuck.example/") == 1)
        claimed_at_cap = len(claims)
        assert wait_until(lambda: len(polls) >= 50)
        # The stuck endpoint's 9 due deliveries wait for room; nobody else has work.
        assert len(claims) - claimed_at_cap <= 1, claims
        assert polls[-1] is None
    finally:
        worker.stop()
        sender.release.set()
        thread.join(10)
    assert not thread.is_alive()


def test_twenty_hanging_endpoints_hold_one_thread_each_and_the_healthy_one_gets_every_event():
    hanging = {f"https://hang{i}.example/" for i in range(20)}
    healthy = "https://healthy.example/"
    sender = TimingSender(slow=hanging)
    connect = connect_with(sender, rate=0)
    owner = stored_principal(connect)
    for url in sorted(hanging):
        connect.webhooks.register(
            owner, WebhookRegistration(url=url, events=["submission.created"])
        )
    connect.webhooks.register(
        owner, WebhookRegistration(url=healthy, events=["submission.created"])
    )
    worker = connect.worker()  # the default pool
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        for _ in range(5):
            connect.submissions.submit_form(FORM)
        # NOTE: no hanging request has returned (they wait for sender.release): the
        # healthy endpoint's five deliveries were claimed and sent beside them, not
        # queued behind them.
        assert wait_until(lambda: len(sender.starts.get(healthy, [])) == 5)
        assert wait_until(lambda: all(sender.in_flight.get(url) == 1 for url in hanging))
        assert not sender.release.is_set()
        assert all(sender.most[url] == 1 for url in hanging)
        assert all(len(sender.starts[url]) == 1 for url in hanging)
    finally:
        sender.release.set()
        worker.stop()
        thread.join(10)
    assert not thread.is_alive()


def test_a_slow_endpoint_loses_slots_and_earns_them_back_by_answering_quickly():
    clock = [0.0]
    url = "https://moody.example/"

    class MoodySender(TimingSender):
        slow_seconds = 0.0

        def send(self, url, body, headers):
            result = super().send(url, body, headers)
            with self._lock:
                clock[0] += self.slow_seconds  # the worker's clock: this attempt took so long
            return result

    sender = MoodySender()
    connect = connect_with(sender, rate=0)
    hook = connect.webhooks.register(
        stored_principal(connect), WebhookRegistration(url=url, events=["submission.created"])
    ).webhook
    worker = DeliveryWorker(
        connect.deliveries, concurrency=8, per_endpoint=4, rate=0, monotonic=lambda: clock[0]
    )
    connect.outbox.listen(worker.wake)
    thread = threading.Thread(target=worker.run)
    thread.start()

    def deliver(count: int) -> None:
        before = worker.attempts
        for _ in range(count):
            connect.submissions.submit_form(FORM)
        assert wait_until(lambda: worker.attempts >= before + count)

    try:
        assert worker.slots(hook.id) == 1  # never seen: one slot to start
        deliver(3)
        assert worker.slots(hook.id) == 4  # quick answers earned the cap
        sender.slow_seconds = worker.slow_seconds
        deliver(4)
        assert worker.slots(hook.id) == 1  # it kept timing out
        sender.slow_seconds = 0.0
        deliver(2)
        assert worker.slots(hook.id) == 4  # recovered
    finally:
        worker.stop()
        thread.join(10)
    assert not thread.is_alive()
