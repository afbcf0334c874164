"""The event feed's storage contract, for every adapter."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from connect.domain.events import Event, EventType
from connect.domain.mode import Mode

T0 = datetime(2026, 2, 6, 12, 0, 0, tzinfo=UTC)
CREATED, UPDATED, SCHEDULED = (
    EventType.SUBMISSION_CREATED,
    EventType.SUBMISSION_UPDATED,
    EventType.TALK_SCHEDULED,
)


def event(n: int, kind: EventType = CREATED, mode: Mode = Mode.LIVE) -> Event:
    return Event(
        id=f"evt_{n:024d}",
        type=kind,
        timestamp=T0 + timedelta(seconds=n, microseconds=500),
        mode=mode,
        data={"id": n, "speaker_name": "Zoë"},
    )


def test_events_come_back_oldest_first_with_the_exact_body_webhooks_carry(uow):
    with uow() as stores:
        added = [stores.events.add(event(n)) for n in (3, 1, 2)]
    with uow(write=False) as stores:
        page = stores.events.page(Mode.LIVE, limit=10)
    assert [e.id for e in page] == [e.id for e in added]
    assert [e.position for e in page] == sorted(e.position for e in page)
    assert page[0].body == event(3).body()
    assert json.loads(page[0].body)["data"]["speaker_name"] == "Zoë"
    assert page[0].submission_id == 3
    assert page[0].timestamp == T0 + timedelta(seconds=3)  # second precision


def test_after_limit_and_types_select_a_window(uow):
    with uow() as stores:
        kinds = [CREATED, UPDATED, SCHEDULED, UPDATED, CREATED]
        stored = [stores.events.add(event(n, k)) for n, k in enumerate(kinds, 1)]
    with uow(write=False) as stores:
        after_two = stores.events.page(Mode.LIVE, limit=2, after=stored[1].position)
        updates = stores.events.page(Mode.LIVE, limit=10, types=frozenset({UPDATED}))
        last_update = stores.events.last(Mode.LIVE, frozenset({UPDATED}))
        last = stores.events.last(Mode.LIVE)
    assert [e.id for e in after_two] == [stored[2].id, stored[3].id]
    assert [e.id for e in updates] == [stored[1].id, stored[3].id]
    assert last_update == stored[3].position
    assert last == stored[4].position


def test_each_mode_sees_only_its_own_events(uow):
    with uow() as stores:
        live = stores.events.add(event(1))
        test = stores.events.add(event(2, mode=Mode.TEST))
    with uow(write=False) as stores:
        assert [e.id for e in stores.events.page(Mode.LIVE, limit=9)] == [live.id]
        assert [e.id for e in stores.events.page(Mode.TEST, limit=9)] == [test.id]
        assert stores.events.last(Mode.TEST) == test.position
        assert stores.events.last(Mode.TEST, frozenset({UPDATED})) is None


def test_an_empty_feed_has_no_last_position(uow):
    with uow(write=False) as stores:
        assert stores.events.last(Mode.LIVE) is None
        assert stores.events.page(Mode.LIVE, limit=5) == []


def test_an_event_added_in_a_rolled_back_transaction_is_not_kept(uow):
    with pytest.raises(RuntimeError), uow() as stores:
        stores.events.add(event(1))
        raise RuntimeError("boom")
    with uow(write=False) as stores:
        assert stores.events.page(Mode.LIVE, limit=5) == []


def test_positions_only_grow(uow):
    with uow() as stores:
        first = stores.events.add(event(1))
    with uow() as stores:
        second = stores.events.add(event(2))
    assert second.position > first.position


def test_an_event_id_is_stored_once(uow):
    with uow() as stores:
        stores.events.add(event(1))
    with pytest.raises(Exception), uow() as stores:  # noqa: B017 (sqlite3 or ValueError)
        stores.events.add(event(1))
