"""The rules that keep slow endpoints from delaying healthy ones: slots earned by
answering, and round-robin claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from connect.domain.claims import due_order, fair_claim
from connect.domain.deliveries import Delivery, DeliveryStatus
from connect.domain.events import EventType
from connect.domain.slots import STARTING_SLOTS, slots_after

SLOW = 2.0
caps = st.integers(min_value=1, max_value=64)
durations = st.floats(min_value=0, max_value=60, allow_nan=False)
fast = st.floats(min_value=0, max_value=SLOW, exclude_max=True)
slow = st.floats(min_value=SLOW, max_value=60)


@given(caps, st.integers(min_value=-5, max_value=100), durations)
def test_slots_stay_between_one_and_the_cap(cap, slots, seconds):
    assert 1 <= slots_after(slots, cap, seconds, SLOW) <= cap


@given(caps, st.data())
def test_a_slow_attempt_never_adds_slots_and_a_quick_one_never_takes_any(cap, data):
    slots = data.draw(st.integers(min_value=1, max_value=cap))
    assert slots_after(slots, cap, data.draw(slow), SLOW) <= slots
    assert slots_after(slots, cap, data.draw(fast), SLOW) >= slots
    if slots > 1:
        assert slots_after(slots, cap, data.draw(slow), SLOW) < slots
    if slots < cap:
        assert slots_after(slots, cap, data.draw(fast), SLOW) > slots


@given(caps, st.lists(slow, min_size=7, max_size=20))
def test_an_endpoint_that_keeps_timing_out_ends_with_one_slot(cap, attempts):
    slots = cap
    for seconds in attempts:
        slots = slots_after(slots, cap, seconds, SLOW)
    assert slots == 1


@given(caps, st.integers(min_value=1, max_value=64), st.lists(fast, min_size=7, max_size=20))
def test_an_endpoint_that_answers_again_recovers_every_slot(cap, start, attempts):
    slots = min(start, cap)
    for seconds in attempts:
        slots = slots_after(slots, cap, seconds, SLOW)
    assert slots == cap


def test_a_new_endpoint_starts_with_one_slot_and_earns_the_cap_in_a_few_answers():
    slots = STARTING_SLOTS
    seen = [slots]
    for _ in range(3):
        slots = slots_after(slots, 4, 0.01, SLOW)
        seen.append(slots)
    assert seen == [1, 2, 4, 4]


NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)


@st.composite
def due_deliveries(draw: st.DrawFn) -> list[Delivery]:
    count = draw(st.integers(min_value=0, max_value=40))
    return [
        Delivery(
            id=i + 1,
            webhook_id=draw(st.integers(min_value=1, max_value=5)),
            event_id=f"evt_{i}",
            event=EventType.SUBMISSION_CREATED,
            payload=b"{}",
            status=DeliveryStatus.PENDING,
            attempt_count=0,
            next_attempt_at=NOW - timedelta(seconds=draw(st.integers(0, 100))),
            created_at=NOW - timedelta(seconds=200),
            updated_at=NOW,
        )
        for i in range(count)
    ]


rooms = st.dictionaries(st.integers(1, 5), st.integers(0, 6), max_size=5)


@given(due_deliveries(), st.integers(0, 50), st.integers(0, 6), rooms)
def test_a_claim_takes_each_webhooks_oldest_first_within_its_room_and_the_limit(
    due, limit, per_webhook, room
):
    taken = fair_claim(due, limit=limit, per_webhook=per_webhook, room=room)
    assert len(taken) <= limit
    assert len({d.id for d in taken}) == len(taken)
    for webhook in {d.webhook_id for d in due}:
        queue = sorted((d for d in due if d.webhook_id == webhook), key=due_order)
        mine = sorted((d for d in taken if d.webhook_id == webhook), key=due_order)
        assert len(mine) <= room.get(webhook, per_webhook)
        assert mine == queue[: len(mine)]  # a prefix of its queue: oldest first


@given(due_deliveries(), st.integers(0, 50), st.integers(0, 6), rooms)
def test_a_claim_goes_round_robin_so_no_webhook_waits_behind_anothers_backlog(
    due, limit, per_webhook, room
):
    taken = fair_claim(due, limit=limit, per_webhook=per_webhook, room=room)
    counts = {w: sum(1 for d in taken if d.webhook_id == w) for w in {d.webhook_id for d in due}}
    available = {
        w: min(sum(1 for d in due if d.webhook_id == w), room.get(w, per_webhook)) for w in counts
    }
    for a in counts:
        for b in counts:
            # b got two fewer rounds than a only if b had nothing more it could give
            if counts[b] < counts[a] - 1:
                assert counts[b] == available[b]
    if len(taken) < limit:
        assert counts == available
    # the order is by round: every webhook's first, then every webhook's second...
    ranks = []
    seen: dict[int, int] = {}
    for delivery in taken:
        ranks.append(seen.get(delivery.webhook_id, 0))
        seen[delivery.webhook_id] = ranks[-1] + 1
    assert ranks == sorted(ranks)


def test_one_webhooks_backlog_does_not_fill_a_claim_while_another_waits():
    old = [
        Delivery(
            id=i,
            webhook_id=1,
            event_id=f"evt_{i}",
            event=EventType.SUBMISSION_CREATED,
            payload=b"{}",
            status=DeliveryStatus.PENDING,
            attempt_count=0,
            next_attempt_at=NOW - timedelta(hours=1),
            created_at=NOW,
            updated_at=NOW,
        )
        for i in range(1, 11)
    ]
    new = Delivery(
        id=11,
        webhook_id=2,
        event_id="evt_11",
        event=EventType.SUBMISSION_CREATED,
        payload=b"{}",
        status=DeliveryStatus.PENDING,
        attempt_count=0,
        next_attempt_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )
    taken = fair_claim([*old, new], limit=2, per_webhook=8)
    assert [d.id for d in taken] == [1, 11]
