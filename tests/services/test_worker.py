from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from connect.adapters.memory import FixedEntropy, MemoryUnitOfWork, Sha256Hasher
from connect.adapters.system import SystemClock
from connect.bootstrap import bootstrap
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from connect.ports.sender import SendResult
from connect.services.worker import DeliveryWorker
from tests.conftest import stored_principal

FORM = {"speakerName": "Ferris", "talkContext": "Pinning, gently", "isOnBehalf": False}


class TimingSender:
    """Records when each request started; requests to ``slow`` URLs block until released."""

    def __init__(self, slow: str = "") -> None:
        self.starts: dict[str, list[float]] = {}
        self.slow = slow
        self.release = threading.Event()
        self.in_flight: dict[str, int] = {}
        self.most: dict[str, int] = {}
        self._lock = threading.Lock()

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        with self._lock:
            self.starts.setdefault(url, []).append(time.monotonic())
            self.in_flight[url] = self.in_flight.get(url, 0) + 1
            self.most[url] = max(self.most.get(url, 0), self.in_flight[url])
        if url == self.slow:
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


def until(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.005)
    return condition()


def test_one_endpoint_gets_at_most_its_rate_per_second():
    sender = TimingSender()
    connect = connect_with(sender, rate=40)
    connect.webhooks.register(
        stored_principal(connect), {"url": "https://a.example/", "events": ["submission.created"]}
    )
    for _ in range(60):
        connect.submissions.submit_form(FORM)
    worker = connect.worker(concurrency=8)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert until(lambda: len(sender.starts.get("https://a.example/", [])) == 60)
    finally:
        worker.stop()
        thread.join(10)
    starts = sender.starts["https://a.example/"]
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s < start + 1.0) <= 40


def test_a_stuck_endpoint_holds_only_its_share_and_shutdown_gives_back_its_queue():
    sender = TimingSender(slow="https://stuck.example/")
    connect = connect_with(sender, rate=0)
    for url in ("https://stuck.example/", "https://fine.example/"):
        connect.webhooks.register(
            stored_principal(connect), {"url": url, "events": ["submission.created"]}
        )
    for _ in range(20):
        connect.submissions.submit_form(FORM)
    worker = DeliveryWorker(connect.deliveries, concurrency=4, per_endpoint=2, rate=0)
    connect.outbox.listen(worker.wake)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert until(lambda: len(sender.starts.get("https://fine.example/", [])) == 20)
        assert sender.most["https://stuck.example/"] == 2
    finally:
        worker.stop()
        sender.release.set()
        thread.join(10)
    assert not thread.is_alive()
    with connect.uow(write=False) as stores:
        # nothing is left leased: attempted, or given back as pending
        assert stores.deliveries.count(DeliveryStatus.IN_FLIGHT) == 0
        assert stores.deliveries.count(DeliveryStatus.SUCCEEDED) == 22
        assert stores.deliveries.count(DeliveryStatus.PENDING) == 18


def test_a_busy_endpoints_backlog_does_not_make_the_waiting_worker_claim_on_every_poll():
    sender = TimingSender(slow="https://stuck.example/")
    connect = connect_with(sender, rate=0)
    connect.webhooks.register(
        stored_principal(connect),
        {"url": "https://stuck.example/", "events": ["submission.created"]},
    )
    for _ in range(10):
        connect.submissions.submit_form(FORM)
    deliveries = connect.deliveries
    claims: list[int] = []
    polls: list[float | None] = []
    claim, next_due_in = deliveries.claim, deliveries.next_due_in

    def counted_claim(*args, **kwargs):
        claimed = claim(*args, **kwargs)
        claims.append(len(claimed))
        return claimed

    def counted_poll(*args, **kwargs):
        polls.append(next_due_in(*args, **kwargs))
        return polls[-1]

    deliveries.claim, deliveries.next_due_in = counted_claim, counted_poll  # type: ignore[method-assign]
    worker = DeliveryWorker(
        deliveries, concurrency=4, per_endpoint=2, rate=0, poll_seconds=0.001, sweep_seconds=3600
    )
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert until(lambda: sender.in_flight.get("https://stuck.example/") == 2)
        claimed_at_cap = len(claims)
        assert until(lambda: len(polls) >= 50)
        # The stuck endpoint's 8 due deliveries wait for room; nobody else has work.
        assert len(claims) - claimed_at_cap <= 1, claims
        assert polls[-1] is None
    finally:
        worker.stop()
        sender.release.set()
        thread.join(10)
    assert not thread.is_alive()
