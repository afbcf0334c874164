from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.access import hears_about
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus
from connect.domain.events import OPERATIONAL, SUBSCRIBABLE, EventType, Subject
from connect.domain.keys import ApiKey, Scope
from connect.domain.mode import Mode
from connect.domain.operational import (
    FAILING_AFTER,
    counts_towards_health,
    operational_event,
    signals,
)
from connect.domain.retry import Outcome
from connect.domain.webhooks import DISABLE_AFTER, Webhook

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
outcomes = st.lists(st.sampled_from(Outcome), max_size=60)


def hook(**changes) -> Webhook:
    base = Webhook(
        id=1,
        url="https://example.com/hook",
        events=frozenset({EventType.SUBMISSION_CREATED}),
        secret="whsec_c2VjcmV0LXNpZ25pbmcta2V5LW9mLTMyLWJ5dGVzISE=",
        api_key_id=1,
        mode=Mode.LIVE,
        created_at=NOW,
    )
    return evolve(base, **changes)


def replay(sequence: list[Outcome]) -> list[list[EventType]]:
    """The operational events raised by each attempt of a sequence, from a fresh
    endpoint; a delivery is exhausted when its attempt failed (as at its last try)."""
    webhook = hook()
    raised = []
    for i, outcome in enumerate(sequence):
        after = webhook.after_attempt(outcome, NOW + timedelta(seconds=i))
        succeeded = outcome is Outcome.SUCCESS
        raised.append(signals(webhook, after, succeeded=succeeded, exhausted=not succeeded))
        webhook = after
    return raised


def streaks(sequence: list[Outcome]) -> list[int]:
    """Reference model: the consecutive failures after each attempt."""
    count, after = 0, []
    for outcome in sequence:
        count = 0 if outcome is Outcome.SUCCESS else count + 1
        after.append(count)
    return after


@given(outcomes)
def test_failing_fires_exactly_at_the_fifth_consecutive_failure(sequence):
    raised = replay(sequence)
    streak = streaks(sequence)
    for i, events in enumerate(raised):
        assert (EventType.WEBHOOK_FAILING in events) == (streak[i] == FAILING_AFTER)


@given(outcomes)
def test_recovered_fires_exactly_on_the_first_success_after_a_failing_streak(sequence):
    raised = replay(sequence)
    streak = streaks(sequence)
    for i, events in enumerate(raised):
        before = streak[i - 1] if i else 0
        expected = sequence[i] is Outcome.SUCCESS and before >= FAILING_AFTER
        assert (EventType.WEBHOOK_RECOVERED in events) == expected


@given(outcomes)
def test_every_recovered_follows_its_own_failing(sequence):
    kinds = [k for events in replay(sequence) for k in events]
    health = [k for k in kinds if k in (EventType.WEBHOOK_FAILING, EventType.WEBHOOK_RECOVERED)]
    # NOTE: failing, recovered, failing, recovered... possibly ending on failing.
    assert health[::2] == [EventType.WEBHOOK_FAILING] * len(health[::2])
    assert health[1::2] == [EventType.WEBHOOK_RECOVERED] * len(health[1::2])


@given(outcomes)
def test_disabled_fires_once_at_the_first_gone_or_tenth_consecutive_failure(sequence):
    raised = replay(sequence)
    streak = streaks(sequence)
    first = next(
        (
            i
            for i, outcome in enumerate(sequence)
            if outcome is Outcome.GONE or streak[i] >= DISABLE_AFTER
        ),
        None,
    )
    fired = [i for i, events in enumerate(raised) if EventType.WEBHOOK_DISABLED in events]
    assert fired == ([] if first is None else [first])


@given(outcomes)
def test_exhausted_fires_for_a_failed_last_attempt_and_never_for_a_success(sequence):
    for outcome, events in zip(sequence, replay(sequence), strict=True):
        assert (EventType.DELIVERY_EXHAUSTED in events) == (outcome is not Outcome.SUCCESS)


@given(st.sampled_from(EventType))
def test_only_deliveries_of_ordinary_events_count_towards_health(kind):
    assert counts_towards_health(kind) == (kind not in OPERATIONAL)


def test_organizers_can_subscribe_to_every_operational_event():
    assert OPERATIONAL <= SUBSCRIBABLE
    assert {e.value for e in OPERATIONAL} == {
        "webhook.disabled",
        "webhook.failing",
        "webhook.recovered",
        "delivery.exhausted",
    }


def key(id: int, *scopes: Scope, revoked: bool = False) -> ApiKey:
    return ApiKey(
        id=id,
        key_id=f"rnc_live_{id:08d}",
        key_hash="x",
        name="k",
        scopes=frozenset(scopes),
        mode=Mode.LIVE,
        created_by="test",
        created_at=NOW,
        revoked_at=NOW if revoked else None,
    )


owners = st.integers(1, 4)


@given(owners, owners, st.sets(st.sampled_from(Scope)), st.booleans(), st.integers(1, 3))
def test_only_the_same_key_or_an_organizer_hears_about_a_webhook_and_never_itself(
    subject_owner, recipient_owner, scopes, revoked, recipient_id
):
    recipient = hook(id=recipient_id, api_key_id=recipient_owner)
    subject = Subject(webhook_id=1, api_key_id=subject_owner)
    owner = key(recipient_owner, *scopes, revoked=revoked)
    heard = hears_about(recipient, owner, subject)
    if recipient_id == 1:
        assert not heard
    elif recipient_owner == subject_owner:
        assert heard
    else:
        assert heard == (Scope.KEYS_MANAGE in scopes and not revoked)


@given(st.sampled_from(sorted(OPERATIONAL)), st.integers(1, 12), st.none() | st.integers(100, 599))
def test_an_operational_event_names_the_endpoint_but_never_its_secret(kind, number, code):
    webhook = hook(previous_secret="whsec_b2xkLXNlY3JldC1vZi10aGlydHktdHdvLWJ5dGVzISE=")
    delivery = Delivery(
        id=7,
        webhook_id=1,
        event_id="evt_" + "a" * 24,
        event=EventType.SUBMISSION_CREATED,
        payload=b"{}",
        status=DeliveryStatus.IN_FLIGHT,
        attempt_count=number - 1,
        next_attempt_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )
    attempt = Attempt(number, code, 12, None if code else "refused", None, NOW)
    event = operational_event(
        kind, webhook, delivery, attempt, DeliveryStatus.FAILED, now=NOW, choose=lambda a: a[0]
    )
    body = event.body()
    assert webhook.secret.encode() not in body
    assert b"whsec_" not in body
    document = json.loads(body)
    assert document["event"] == kind.value
    assert document["data"]["webhook"]["url"] == webhook.url
    assert document["data"]["delivery"]["event_id"] == delivery.event_id
    assert document["data"]["attempt"]["status_code"] == code
    assert event.subject == Subject(1, 1)
