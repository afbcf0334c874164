"""A worker over PostgreSQL is woken by deliveries committed in other processes
(``LISTEN``/``NOTIFY``), keeps listening across a dropped connection, and stops
listening when Connect closes."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.notifications import DeliveryListener
from connect.adapters.system.worker import DeliveryWorker
from connect.bootstrap import Connect, bootstrap
from connect.config import Config
from connect.testing import FixedEntropy, RecordingSender, Sha256Hasher, wait_until
from tests.contract.test_webhook_stores import new_delivery, new_webhook


class Wakes:
    """Counts wake-ups; ``wait_for(n)`` blocks (bounded) until there were ``n``."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = threading.Condition()

    def __call__(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def wait_for(self, n: int) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count >= n, timeout=10)


@pytest.fixture
def box() -> AeadSecretBox:
    return AeadSecretBox.ephemeral()


@pytest.fixture
def other_process(postgres_url: str, box: AeadSecretBox) -> Iterator[PostgresUnitOfWork]:
    """Another process's storage: its own pool, nothing shared with the worker's."""
    uow = PostgresUnitOfWork(postgres_url, secret_box=box)
    uow.migrate()
    yield uow
    uow.close()


@pytest.fixture
def listener(postgres_url: str) -> Iterator[tuple[DeliveryListener, Wakes]]:
    wakes = Wakes()
    listening = DeliveryListener(postgres_url, wakes, check_seconds=0.05).start()
    assert listening.listening.wait(10)
    yield listening, wakes
    listening.stop()


def test_a_delivery_committed_elsewhere_notifies_at_commit_not_before(other_process, listener):
    listening, wakes = listener
    assert wakes.wait_for(1)  # on connecting: anything sent before is lost, so look once
    with other_process() as stores:
        hook = stores.webhooks.add(new_webhook())
        stores.deliveries.add(new_delivery(hook.id))
        stores.deliveries.add(new_delivery(hook.id, event_id="evt_2"))
        # NOTE: the transaction is open: nothing is delivered to listeners yet.
        assert listening.notifications == 0
    assert wakes.wait_for(2)
    assert listening.notifications == 1  # one transaction, one notification


def test_the_listener_reconnects_when_its_connection_drops(
    postgres_server, other_process, listener
):
    listening, wakes = listener
    assert wakes.wait_for(1)
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [listening.backend_pid])
    assert wait_until(lambda: listening.connections == 2)
    with other_process() as stores:
        hook = stores.webhooks.add(new_webhook())
        stores.deliveries.add(new_delivery(hook.id))
    assert wait_until(lambda: listening.notifications == 1)


def test_a_worker_that_never_polls_delivers_what_another_process_commits(
    postgres_url, box, other_process
):
    sender = RecordingSender()
    uow = PostgresUnitOfWork(postgres_url, secret_box=box)
    connect = bootstrap(
        Config(db=postgres_url),
        uow,
        entropy=FixedEntropy(1),
        hasher=Sha256Hasher(),
        sender=sender,
    )
    # NOTE: polls and sweeps an hour apart: only a wake-up can make it claim in time.
    worker = DeliveryWorker(connect.deliveries, poll_seconds=3600, sweep_seconds=3600, rate=0)
    wakes = Wakes()
    listening = uow.listen(lambda: (wakes(), worker.wake()))
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert wakes.wait_for(1)
        with other_process() as stores:
            hook = stores.webhooks.add(new_webhook())
            stores.deliveries.add(new_delivery(hook.id))
        assert wait_until(lambda: len(sender.sent) == 1)
        assert listening.notifications >= 1
    finally:
        worker.stop()
        thread.join(10)
        listening.stop()
        connect.close()
    assert sender.sent[0].url == "https://example.com/hook"


def test_connect_closing_stops_its_workers_listener(postgres_url, box):
    uow = PostgresUnitOfWork(postgres_url, secret_box=box)
    uow.migrate()
    connect: Connect = bootstrap(Config(db=postgres_url), uow, hasher=Sha256Hasher())
    connect.worker()
    (listening,) = connect.listeners
    assert listening.listening.wait(10)
    connect.close()
    assert not listening.listening.is_set() and connect.listeners == []
