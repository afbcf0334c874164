from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connect.domain.deliveries import Attempt, DeliveryStatus, NewDelivery
from connect.domain.errors import NotFound
from connect.domain.events import EventType
from connect.domain.keys import NewApiKey, Scope
from connect.domain.mode import Mode
from connect.domain.webhooks import NewWebhook

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
CREATED = EventType.SUBMISSION_CREATED


def key(stores, name: str) -> int:
    new = NewApiKey(
        key_id=f"rnc_live_{name:0>8}",
        key_hash="x",
        name=name,
        scopes=frozenset({Scope.WEBHOOKS_MANAGE}),
        mode=Mode.LIVE,
        created_by="tests",
        created_at=NOW,
    )
    return stores.keys.add(new).id


def new_webhook(owner: int | None = None, mode: Mode = Mode.LIVE, events=(CREATED,)) -> NewWebhook:
    return NewWebhook(
        url="https://example.com/hook",
        events=frozenset(events),
        secret="whsec_AAAA",
        api_key_id=owner,
        mode=mode,
        created_at=NOW,
    )


def new_delivery(webhook_id: int, due: datetime = NOW, event_id: str = "evt_1") -> NewDelivery:
    return NewDelivery(
        webhook_id=webhook_id,
        event_id=event_id,
        event=CREATED,
        payload=b'{"id":"evt_1","caf\xc3\xa9":1}',
        status=DeliveryStatus.PENDING,
        next_attempt_at=due,
        created_at=NOW,
    )


def test_webhooks_round_trip_and_list_by_owner_and_mode(uow):
    with uow() as stores:
        one, two = key(stores, "one"), key(stores, "two")
        a = stores.webhooks.add(new_webhook(owner=one))
        b = stores.webhooks.add(new_webhook(owner=two))
        stores.webhooks.add(new_webhook(owner=one, mode=Mode.TEST))
    with uow(write=False) as stores:
        assert stores.webhooks.get(a.id) == a
        assert stores.webhooks.get(a.id, Mode.TEST) is None
        assert [w.id for w in stores.webhooks.list(Mode.LIVE, owner=None, limit=10)] == [b.id, a.id]
        assert [w.id for w in stores.webhooks.list(Mode.LIVE, owner=one, limit=10)] == [a.id]
        assert [
            w.id for w in stores.webhooks.list(Mode.LIVE, owner=None, limit=10, before=b.id)
        ] == [a.id]


def test_a_webhook_owned_by_no_stored_key_is_refused_and_not_stored(uow):
    with uow() as stores:
        owner = key(stores, "one")
    with pytest.raises(NotFound), uow() as stores:
        stores.webhooks.add(new_webhook(owner=owner + 1))
    with uow(write=False) as stores:
        assert list(stores.webhooks.list(Mode.LIVE, owner=None, limit=10)) == []


def test_subscribed_finds_webhooks_of_the_mode_and_event(uow):
    with uow() as stores:
        a = stores.webhooks.add(new_webhook())
        stores.webhooks.add(new_webhook(events=(EventType.TALK_SCHEDULED,)))
        stores.webhooks.add(new_webhook(mode=Mode.TEST))
        assert [w.id for w in stores.webhooks.subscribed(Mode.LIVE, CREATED)] == [a.id]


def test_saving_health_and_transferring_ownership(uow):
    with uow() as stores:
        one, two = key(stores, "one"), key(stores, "two")
        a = stores.webhooks.add(new_webhook(owner=one))
        disabled = a.disabled("x", NOW, failure_count=10)
        stores.webhooks.save(disabled)
        assert stores.webhooks.transfer(one, two) == 1
    with uow(write=False) as stores:
        found = stores.webhooks.get(a.id)
        assert found is not None and not found.active and found.failure_count == 10
        assert found.api_key_id == two and found.disabled_at == NOW


def test_owned_by_finds_every_webhook_of_one_key_active_or_not(uow):
    with uow() as stores:
        one, two = key(stores, "one"), key(stores, "two")
        a = stores.webhooks.add(new_webhook(owner=one))
        stores.webhooks.add(new_webhook(owner=two))
        c = stores.webhooks.add(new_webhook(owner=one))
        stores.webhooks.save(c.disabled("x", NOW))
    with uow(write=False) as stores:
        assert [w.id for w in stores.webhooks.owned_by(one)] == [a.id, c.id]
        assert stores.webhooks.owned_by(one + two + 100) == []


def test_a_rolled_back_transaction_stores_no_delivery(uow):
    with uow() as stores:
        hook = stores.webhooks.add(new_webhook())
    try:
        with uow() as stores:
            stores.deliveries.add(new_delivery(hook.id))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with uow(write=False) as stores:
        assert stores.deliveries.count() == 0


def test_claims_lease_due_deliveries_once_and_respect_per_webhook_room(uow):
    with uow() as stores:
        a = stores.webhooks.add(new_webhook())
        b = stores.webhooks.add(new_webhook())
        for _ in range(3):
            stores.deliveries.add(new_delivery(a.id))
        stores.deliveries.add(new_delivery(b.id))
        stores.deliveries.add(new_delivery(b.id, due=NOW + timedelta(seconds=30)))
    lease = NOW + timedelta(seconds=60)
    with uow() as stores:
        first = stores.deliveries.claim(
            NOW, owner="w1", lease_until=lease, limit=10, per_webhook=2, room={b.id: 0}
        )
    assert [d.webhook_id for d in first] == [a.id, a.id]
    assert all(d.status is DeliveryStatus.IN_FLIGHT for d in first)
    with uow() as stores:
        second = stores.deliveries.claim(
            NOW, owner="w2", lease_until=lease, limit=10, per_webhook=5
        )
    assert sorted(d.webhook_id for d in second) == sorted([a.id, b.id])
    assert not {d.id for d in first} & {d.id for d in second}
    with uow() as stores:
        assert (
            stores.deliveries.claim(NOW, owner="w3", lease_until=lease, limit=10, per_webhook=5)
            == []
        )
        # the first worker died: its leases expire and another worker takes them over
        later = stores.deliveries.claim(
            lease, owner="w3", lease_until=lease + timedelta(seconds=60), limit=10, per_webhook=5
        )
    assert {d.id for d in later} >= {d.id for d in first}


def test_recording_an_attempt_keeps_it_in_the_log(uow):
    with uow() as stores:
        hook = stores.webhooks.add(new_webhook())
        delivery = stores.deliveries.add(new_delivery(hook.id))
        stores.deliveries.claim(NOW, owner="w", lease_until=NOW, limit=1, per_webhook=1)
        attempt = Attempt(1, 500, 12, None, "oops", NOW)
        retry = NOW + timedelta(seconds=5)
        stores.deliveries.record(
            delivery.id, attempt, status=DeliveryStatus.PENDING, next_attempt_at=retry, now=NOW
        )
    with uow(write=False) as stores:
        found = stores.deliveries.get(delivery.id)
        assert found is not None
        assert found.attempts == (attempt,)
        assert found.attempt_count == 1 and found.next_attempt_at == retry
        assert found.payload == new_delivery(hook.id).payload
        assert stores.deliveries.next_due() == retry
        assert [d.id for d in stores.deliveries.list(hook.id, limit=5)] == [delivery.id]


def test_the_next_due_delivery_can_leave_out_busy_webhooks(uow):
    with uow() as stores:
        busy, idle, other = (stores.webhooks.add(new_webhook()) for _ in range(3))
        stores.deliveries.add(new_delivery(busy.id, due=NOW))
        stores.deliveries.add(new_delivery(idle.id, due=NOW + timedelta(seconds=30)))
    with uow(write=False) as stores:
        assert stores.deliveries.next_due() == NOW
        assert stores.deliveries.next_due(exclude={busy.id}) == NOW + timedelta(seconds=30)
        assert stores.deliveries.next_due(exclude={busy.id, idle.id, other.id}) is None


def test_pause_resume_release_and_delete(uow):
    with uow() as stores:
        hook = stores.webhooks.add(new_webhook())
        one = stores.deliveries.add(new_delivery(hook.id))
        two = stores.deliveries.add(new_delivery(hook.id))
        stores.deliveries.claim(
            NOW, owner="w", lease_until=NOW + timedelta(seconds=60), limit=1, per_webhook=1
        )
        assert stores.deliveries.pause(hook.id, NOW) == 1
        assert stores.deliveries.get(two.id).status is DeliveryStatus.PAUSED
        stores.deliveries.release(one.id, "someone-else", NOW)
        assert stores.deliveries.get(one.id).status is DeliveryStatus.IN_FLIGHT
        stores.deliveries.release(one.id, "w", NOW)
        assert stores.deliveries.get(one.id).status is DeliveryStatus.PENDING
        assert stores.deliveries.resume(hook.id, NOW) == 1
        assert stores.deliveries.count(DeliveryStatus.PENDING) == 2
        stores.webhooks.delete(hook.id)
        assert stores.deliveries.count() == 0 and stores.webhooks.get(hook.id) is None
