"""The per-endpoint delivery pace, shared by several workers through the database."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.rate_limit import PostgresRateLimiter
from connect.adapters.system import SystemClock
from connect.adapters.system.worker import DeliveryWorker
from connect.bootstrap import Connect, bootstrap, storage
from connect.config import Config
from connect.domain.requests.webhooks import WebhookRegistration
from connect.services.dispatch import pace_quota
from connect.testing import FixedEntropy, Sha256Hasher, wait_until
from tests.conftest import stored_principal
from tests.services.test_worker import FORM, TimingSender

URL = "https://a.example/"


@given(st.integers(1, 4000).map(lambda n: n / 40))
def test_the_delivery_quota_never_allows_more_than_the_rate(rate: float) -> None:
    quota = pace_quota(rate)
    assert quota.name == "delivery"
    assert quota.limit / quota.window <= rate
    # Not needlessly slower either: within one attempt per window of the rate.
    assert (quota.limit + 1) / quota.window > rate


# NOTE: the pace admits at most ``rate`` attempts in any second of the database's clock;
# each admitted attempt then reaches the sender after its own database work, a few to
# some tens of milliseconds later on a busy machine. Any window shorter by that slack
# therefore holds at most ``rate`` starts at the sender; two workers pacing alone
# (15/s each) put about 22 in it.
SLACK = 0.25


def most_in_any_second(starts: list[float]) -> int:
    """The most starts in any window of one second less the slack."""
    starts = sorted(starts)
    span = 1.0 - SLACK
    return max(sum(1 for s in starts[i:] if s < start + span) for i, start in enumerate(starts))


def run_workers(workers: list[DeliveryWorker], sender: TimingSender, expected: int) -> None:
    threads = [threading.Thread(target=worker.run) for worker in workers]
    for thread in threads:
        thread.start()
    try:
        assert wait_until(lambda: len(sender.starts.get(URL, [])) >= expected, timeout=30)
    finally:
        for worker in workers:
            worker.stop()
        for thread in threads:
            thread.join(10)


def test_two_workers_sharing_the_database_pace_keep_one_endpoint_at_its_rate(
    postgres_url: str,
) -> None:
    sender = TimingSender()
    connect = bootstrap(
        Config(db=":memory:", delivery_rate_per_second=15),
        MemoryUnitOfWork(),
        clock=SystemClock(),
        entropy=FixedEntropy(5),
        hasher=Sha256Hasher(),
        sender=sender,
    )
    connect.webhooks.register(
        stored_principal(connect), WebhookRegistration(url=URL, events=["submission.created"])
    )
    for _ in range(45):
        connect.submissions.submit_form(FORM)
    # NOTE: one pool each, as two worker processes would have.
    pools = [PostgresUnitOfWork(postgres_url, max_connections=2) for _ in range(2)]
    pools[0].migrate()
    workers = [
        DeliveryWorker(connect.deliveries, concurrency=8, rate=15, pace=PostgresRateLimiter(uow))
        for uow in pools
    ]
    try:
        run_workers(workers, sender, 45)
    finally:
        for uow in pools:
            uow.close()
    assert sum(worker.attempts for worker in workers) == 45
    assert all(worker.attempts > 0 for worker in workers)
    assert most_in_any_second(sender.starts[URL]) <= 15


@pytest.fixture
def postgres_connects(postgres_url: str) -> Iterator[tuple[list[Connect], TimingSender]]:
    """Two Connects over one PostgreSQL database (two pools), delivering to one sender."""
    sender = TimingSender()
    config = Config(
        db=postgres_url,
        secret_key=os.urandom(32),
        delivery_rate_per_second=15,
    )
    connects = []
    for _ in range(2):
        uow = storage(config)
        uow.migrate()
        connects.append(
            bootstrap(config, uow, clock=SystemClock(), hasher=Sha256Hasher(), sender=sender)
        )
    yield connects, sender
    for connect in connects:
        connect.close()


def test_two_workers_over_one_postgres_database_deliver_to_an_endpoint_at_its_rate(
    postgres_connects: tuple[list[Connect], TimingSender],
) -> None:
    (first, second), sender = postgres_connects
    first.webhooks.register(
        stored_principal(first), WebhookRegistration(url=URL, events=["submission.created"])
    )
    for _ in range(45):
        first.submissions.submit_form(FORM)
    workers = [first.worker(concurrency=8), second.worker(concurrency=8)]
    run_workers(workers, sender, 45)
    assert sum(worker.attempts for worker in workers) == 45
    assert most_in_any_second(sender.starts[URL]) <= 15
