"""Leases: a live worker renews them (its heartbeat), and workers claiming at the same
moment split the due deliveries between them, never sharing one."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from connect.adapters.postgres import PostgresUnitOfWork
from connect.domain.deliveries import Attempt, DeliveryStatus
from tests.contract.test_webhook_stores import NOW, new_delivery, new_webhook

MINUTE = timedelta(seconds=60)


def test_renewing_extends_only_the_leases_the_worker_still_holds(uow):
    with uow() as stores:
        hook = stores.webhooks.add(new_webhook())
        kept, settled, lost = (
            stores.deliveries.add(new_delivery(hook.id, event_id=f"evt_{n}")) for n in range(3)
        )
        claimed = stores.deliveries.claim(
            NOW, owner="w1", lease_until=NOW + MINUTE, limit=10, per_webhook=10
        )
        assert sorted(d.id for d in claimed) == [kept.id, settled.id, lost.id]
        stores.deliveries.record(
            settled.id,
            Attempt(1, 200, 5, None, None, NOW),
            status=DeliveryStatus.SUCCEEDED,
            next_attempt_at=None,
            now=NOW,
        )
        # w1 stalls past its lease: another worker takes one delivery over
        late, renewed_until = NOW + 2 * MINUTE, NOW + 10 * MINUTE
        taken = stores.deliveries.claim(
            late, owner="w2", lease_until=NOW + 20 * MINUTE, limit=1, per_webhook=10
        )
        assert [d.id for d in taken] == [kept.id]

        ids = [kept.id, settled.id, lost.id, 999]
        assert stores.deliveries.renew(ids, "w1", renewed_until) == 1  # only `lost`
        assert stores.deliveries.renew([lost.id], "w2", NOW + 30 * MINUTE) == 0
        assert stores.deliveries.renew([], "w1", renewed_until) == 0
        before = renewed_until - timedelta(seconds=1)
        claim = stores.deliveries.claim
        assert claim(before, owner="w3", lease_until=late, limit=10, per_webhook=10) == []
        # ...and once the renewed lease runs out (its worker died), it is taken over
        after = renewed_until + timedelta(seconds=1)
        expired = claim(after, owner="w3", lease_until=late, limit=10, per_webhook=10)
        assert [d.id for d in expired] == [lost.id]


def test_concurrent_claimers_split_the_due_deliveries_without_overlap(uow):
    claimers, rounds_limit = 6, 4
    with uow() as stores:
        hooks = [stores.webhooks.add(new_webhook()).id for _ in range(5)]
        due = {
            stores.deliveries.add(new_delivery(hooks[n % 5], event_id=f"evt_{n}")).id
            for n in range(60)
        }
        later = stores.deliveries.add(
            new_delivery(hooks[0], due=NOW + MINUTE, event_id="evt_later")
        ).id
    barrier = threading.Barrier(claimers, timeout=30)
    taken: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def claim(owner: str) -> None:
        mine: list[int] = []
        try:
            barrier.wait()
            while True:
                with uow() as stores:
                    got = stores.deliveries.claim(
                        NOW,
                        owner=owner,
                        lease_until=NOW + MINUTE,
                        limit=rounds_limit,
                        per_webhook=2,
                    )
                if not got:
                    break
                assert all(d.status is DeliveryStatus.IN_FLIGHT for d in got)
                mine.extend(d.id for d in got)
        except BaseException as e:  # reported by the main thread
            errors.append(e)
        taken[owner] = mine

    threads = [threading.Thread(target=claim, args=(f"w{n}",)) for n in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads) and errors == []

    everything = [id for ids in taken.values() for id in ids]
    assert len(everything) == len(set(everything)), "a delivery was claimed twice"
    with uow() as stores:
        # NOTE: a claimer that found every remaining row locked by another stops early;
        # whatever is left is still claimable, exactly once.
        rest = stores.deliveries.claim(
            NOW, owner="sweeper", lease_until=NOW + MINUTE, limit=100, per_webhook=100
        )
    assert sorted(everything + [d.id for d in rest]) == sorted(due)
    assert later not in everything


@pytest.mark.parametrize("uow", ["postgres"], indirect=True)
def test_a_postgres_claim_skips_rows_another_open_claim_holds_instead_of_waiting(uow):
    assert isinstance(uow, PostgresUnitOfWork)
    with uow() as stores:
        hook = stores.webhooks.add(new_webhook())
        for n in range(4):
            stores.deliveries.add(new_delivery(hook.id, event_id=f"evt_{n}"))
    found: list[list[int]] = []

    def second_claimer() -> None:
        with uow() as stores:
            # NOTE: waiting on the first claimer's row locks would fail here, not hang.
            stores.conn.execute("SET LOCAL lock_timeout = '5s'")
            got = stores.deliveries.claim(
                NOW, owner="w2", lease_until=NOW + MINUTE, limit=10, per_webhook=10
            )
            found.append([d.id for d in got])

    with uow() as stores:
        first = stores.deliveries.claim(
            NOW, owner="w1", lease_until=NOW + MINUTE, limit=2, per_webhook=2
        )
        thread = threading.Thread(target=second_claimer)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert len(first) == 2 and len(found) == 1
    assert set(found[0]).isdisjoint(d.id for d in first)
    assert len(found[0]) == 2
