"""A live worker renews the leases of what it holds, so a send longer than the lease
is not taken over; a dead worker stops renewing and its deliveries are taken over."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.system.worker import DeliveryWorker
from connect.bootstrap import Connect, bootstrap, sqlite_storage
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from connect.domain.requests.webhooks import WebhookRegistration
from connect.services.delivery import DeliveryService
from connect.testing import FixedEntropy, ManualClock, Sha256Hasher, wait_until
from tests.conftest import stored_principal
from tests.services.test_worker import FORM, TimingSender

HOOK = "https://slow.example/"


@pytest.fixture(params=["memory", "sqlite"])
def slow_connect(request, tmp_path: Path, clock: ManualClock) -> Iterator[Connect]:
    """Connect with one webhook whose endpoint hangs until ``connect.sender.release``."""
    sender = TimingSender(slow=HOOK)
    config = Config(db=str(tmp_path / "connect.db"), delivery_rate_per_second=0)
    uow = MemoryUnitOfWork() if request.param == "memory" else sqlite_storage(config)
    if not isinstance(uow, MemoryUnitOfWork):
        uow.migrate()
    connect = bootstrap(
        config, uow, clock=clock, entropy=FixedEntropy(3), hasher=Sha256Hasher(), sender=sender
    )
    connect.webhooks.register(
        stored_principal(connect), WebhookRegistration(url=HOOK, events=["submission.created"])
    )
    yield connect
    sender.release.set()
    connect.close()


class RenewalLog:
    """The delivery service, noting each renewal: (clock time, how many renewed)."""

    def __init__(self, inner: DeliveryService, clock: ManualClock) -> None:
        self._inner = inner
        self.renewed: list[tuple[object, int]] = []
        self.changed = threading.Condition()
        self._at = clock

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def renew(self, ids, owner, *, lease_seconds=60):
        at = self._at.now()
        count = self._inner.renew(ids, owner, lease_seconds=lease_seconds)
        with self.changed:
            self.renewed.append((at, count))
            self.changed.notify_all()
        return count

    def wait_for_renewal_at(self, moment) -> bool:
        with self.changed:
            return self.changed.wait_for(
                lambda: any(at >= moment and n == 1 for at, n in self.renewed), timeout=10
            )


def sending(sender: TimingSender) -> bool:
    with sender._lock:
        return sender.in_flight.get(HOOK, 0) == 1


def test_a_send_longer_than_the_lease_is_not_taken_over_while_its_worker_lives(slow_connect, clock):
    connect = slow_connect
    sender = connect.deliveries.sender
    assert isinstance(sender, TimingSender)
    connect.submissions.submit_form(FORM)
    deliveries = RenewalLog(connect.deliveries, clock)
    worker = DeliveryWorker(
        deliveries, lease_seconds=30, heartbeat_seconds=0.01, rate=0, poll_seconds=0.01
    )
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert wait_until(lambda: sending(sender))
        # the send hangs for 25 s, then 50 s: past the lease it was claimed with (30 s)
        assert deliveries.wait_for_renewal_at(clock.advance(25))
        assert deliveries.wait_for_renewal_at(clock.advance(25))
        taken = connect.deliveries.claim("other", limit=10, per_webhook=10, lease_seconds=30)
        assert taken == []
    finally:
        sender.release.set()
        worker.stop()
        thread.join(10)
    assert not thread.is_alive()
    with connect.uow(write=False) as stores:
        assert stores.deliveries.count(DeliveryStatus.SUCCEEDED) == 1
    assert worker.attempts == 1


def test_a_dead_workers_leases_expire_and_another_worker_takes_them_over(slow_connect, clock):
    connect = slow_connect
    connect.deliveries.sender.release.set()  # type: ignore[attr-defined]
    connect.submissions.submit_form(FORM)
    # a worker claims, then dies before attempting or renewing anything
    assert len(connect.deliveries.claim("dead", limit=10, per_webhook=10, lease_seconds=30)) == 1
    survivor = DeliveryWorker(connect.deliveries, lease_seconds=30, rate=0)
    assert survivor.heartbeat() == 0  # it holds nothing of the dead worker's
    assert survivor.run_once() == 0  # the lease still runs
    clock.advance(31)
    assert survivor.run_once() == 1
    with connect.uow(write=False) as stores:
        assert stores.deliveries.count(DeliveryStatus.SUCCEEDED) == 1
