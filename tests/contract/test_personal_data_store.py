"""Retention and erasure over every adapter: the same rows go, the same copies are
scrubbed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from connect.domain.audit import AuditEntry
from connect.domain.deliveries import Attempt, DeliveryStatus, NewDelivery
from connect.domain.events import Event, EventType, submission_created
from connect.domain.idempotency import IdempotencyRecord
from connect.domain.keys import NewApiKey, Scope
from connect.domain.mode import Mode
from connect.domain.retention import Erased, Purged
from connect.domain.submissions import NewSubmission
from connect.domain.webhooks import NewWebhook

NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=40)
LIMIT = NOW - timedelta(days=30)
CREATED = EventType.SUBMISSION_CREATED


def choose(alphabet: str) -> str:
    choose.n = getattr(choose, "n", 0) + 1  # type: ignore[attr-defined]
    return alphabet[choose.n % len(alphabet)]  # type: ignore[attr-defined]


def webhook(stores, mode: Mode = Mode.LIVE) -> int:
    return stores.webhooks.add(
        NewWebhook(
            url="https://example.com/hook",
            events=frozenset({CREATED}),
            secret="whsec_AAAA",
            api_key_id=None,
            mode=mode,
            created_at=OLD,
        )
    ).id


def delivered(stores, hook: int, event: Event, status: DeliveryStatus, at: datetime, snippet=None):
    """A delivery of ``event`` with one attempt at ``at`` that left it in ``status``."""
    delivery = stores.deliveries.add(
        NewDelivery(
            webhook_id=hook,
            event_id=event.id,
            event=event.type,
            payload=event.body(),
            status=DeliveryStatus.PENDING,
            next_attempt_at=at,
            created_at=at,
        )
    )
    attempt = Attempt(1, 200, 5, None, snippet, at)
    due = at if status is DeliveryStatus.PENDING else None
    stores.deliveries.record(delivery.id, attempt, status=status, next_attempt_at=due, now=at)
    return delivery.id


def submission(stores, name: str, mode: Mode = Mode.LIVE, at: datetime = OLD):
    return stores.submissions.add(
        NewSubmission(
            speaker_name=name,
            talk_context=f"{name} on lifetimes",
            is_on_behalf=False,
            submitter_name=None,
            mode=mode,
            created_at=at,
        )
    )


def event_of(sub, at: datetime) -> Event:
    return submission_created(sub, now=at, choose=choose)[0]


def audit(stores, at: datetime) -> None:
    stores.audit.append([AuditEntry(None, "/api/v1/submissions", "GET", 200, None, 1.0, at)])


def test_a_purge_removes_what_is_past_retention_and_keeps_the_rest(uow):
    with uow() as stores:
        hook = webhook(stores)
        sub = submission(stores, "Ann")
        old_done, old_open, recent_done = (event_of(sub, t) for t in (OLD, OLD, NOW))
        for e in (old_done, old_open, recent_done):
            stores.events.add(e)
        gone = delivered(stores, hook, old_done, DeliveryStatus.SUCCEEDED, OLD, "ok Ann")
        kept_open = delivered(stores, hook, old_open, DeliveryStatus.PENDING, OLD, "busy Ann")
        kept = delivered(stores, hook, recent_done, DeliveryStatus.FAILED, NOW, "no Ann")
        audit(stores, OLD)
        audit(stores, NOW)
    with uow(write=False) as stores:
        before = stores.personal_data.census()
        would = stores.personal_data.purge(LIMIT, dry_run=True)
        assert stores.personal_data.census() == before
    with uow() as stores:
        purged = stores.personal_data.purge(LIMIT)
        after = stores.personal_data.census()
    expected = Purged(events=1, deliveries=1, snippets=1, audit_entries=1)
    assert would == purged == expected
    assert (before.events, before.deliveries, before.snippets, before.audit_entries) == (3, 3, 3, 2)
    assert (after.events, after.deliveries, after.snippets, after.audit_entries) == (2, 2, 1, 1)
    with uow(write=False) as stores:
        assert stores.deliveries.get(gone) is None
        still_open = stores.deliveries.get(kept_open)
        assert still_open is not None and still_open.attempts[0].response_snippet is None
        recent = stores.deliveries.get(kept)
        assert recent is not None and recent.attempts[0].response_snippet == "no Ann"
        feed = [e.id for e in stores.events.page(Mode.LIVE, limit=9)]
    # The event of the delivery still to be attempted stays in the feed.
    assert feed == [old_open.id, recent_done.id]


def test_a_purge_with_nothing_old_removes_nothing(uow):
    with uow() as stores:
        hook = webhook(stores)
        sub = submission(stores, "Ann", at=NOW)
        recent = event_of(sub, NOW)
        stores.events.add(recent)
        delivered(stores, hook, recent, DeliveryStatus.SUCCEEDED, NOW, "ok")
        audit(stores, LIMIT)  # exactly at the limit: kept
        assert stores.personal_data.purge(LIMIT) == Purged()


def test_erasing_a_submission_scrubs_every_copy_and_cancels_what_was_to_be_sent(uow):
    with uow() as stores:
        key = stores.keys.add(
            NewApiKey(
                "rnc_live_aaaaaaaa", "x", "k", frozenset({Scope.KEYS_MANAGE}), Mode.LIVE, "t", OLD
            )
        ).id
        hook, test_hook = webhook(stores), webhook(stores, Mode.TEST)
        ann, bob = submission(stores, "Ann Erasable"), submission(stores, "Bob Keeper")
        stores.idempotency.add(IdempotencyRecord(key, "k1", "f" * 64, ann.id, NOW))
        ann_events = [event_of(ann, NOW), event_of(ann, NOW)]
        bob_event = event_of(bob, NOW)
        for e in (*ann_events, bob_event):
            stores.events.add(e)
        done = delivered(stores, hook, ann_events[0], DeliveryStatus.SUCCEEDED, NOW, "Ann Erasable")
        waiting = delivered(stores, hook, ann_events[1], DeliveryStatus.PENDING, NOW, "try again")
        bobs = delivered(stores, hook, bob_event, DeliveryStatus.PENDING, NOW, "Bob Keeper")
        # A test-mode webhook's delivery about a test submission with the same id is
        # out of a live erasure's reach.
        other_mode = delivered(stores, test_hook, ann_events[1], DeliveryStatus.PENDING, NOW, "t")
    with uow() as stores:
        erased = stores.personal_data.erase_submission(ann.id, Mode.LIVE, NOW)
    assert erased == Erased(events=2, payloads=2, cancelled=1, snippets=2)
    with uow(write=False) as stores:
        assert stores.submissions.get(ann.id, Mode.LIVE) is None
        assert stores.idempotency.find(key, "k1") is None
        feed = stores.events.page(Mode.LIVE, limit=9)
        for stored in feed[:2]:
            body = json.loads(stored.body)
            assert body["data"] == {"id": ann.id}
            assert body["id"] == stored.id and body["event"] == "submission.created"
        assert b"Bob Keeper" in feed[2].body
        first, second = stores.deliveries.get(done), stores.deliveries.get(waiting)
        assert first is not None and second is not None
        assert first.status is DeliveryStatus.SUCCEEDED
        assert second.status is DeliveryStatus.CANCELLED and second.next_attempt_at is None
        for d in (first, second):
            assert b"Erasable" not in d.payload
            assert all(a.response_snippet is None for a in d.attempts)
        bob_delivery = stores.deliveries.get(bobs)
        assert bob_delivery is not None and bob_delivery.status is DeliveryStatus.PENDING
        assert bob_delivery.attempts[0].response_snippet == "Bob Keeper"
        untouched = stores.deliveries.get(other_mode)
        assert untouched is not None and untouched.status is DeliveryStatus.PENDING


def test_an_attempt_finishing_after_its_delivery_was_cancelled_does_not_revive_it(uow):
    with uow() as stores:
        hook = webhook(stores)
        ann = submission(stores, "Ann")
        e = event_of(ann, NOW)
        waiting = delivered(stores, hook, e, DeliveryStatus.PENDING, NOW)
        stores.personal_data.erase_submission(ann.id, Mode.LIVE, NOW)
        late = Attempt(2, 500, 5, None, "Ann again", NOW)
        stores.deliveries.record(
            waiting, late, status=DeliveryStatus.PENDING, next_attempt_at=NOW, now=NOW
        )
        found = stores.deliveries.get(waiting)
    assert found is not None and found.status is DeliveryStatus.CANCELLED
    assert [a.attempt for a in found.attempts] == [1]
