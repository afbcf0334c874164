"""Event bodies are built from their shapes and are, byte for byte, the bodies Connect
signed before the shapes existed (the references below are that older, hand-built code)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from attrs import fields
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus
from connect.domain.event_kinds import KINDS
from connect.domain.events import (
    EVENT_ID_PATTERN,
    OPERATIONAL,
    Event,
    EventBody,
    EventType,
    new_event,
    submission_changed,
    submission_created,
    submission_deleted,
    webhook_test,
)
from connect.domain.keys import ALPHABET
from connect.domain.mode import Mode
from connect.domain.operational import operational_event
from connect.domain.representation import submission_document
from connect.domain.shapes import plain
from connect.domain.submissions import Change
from connect.domain.time import format_instant
from connect.domain.webhooks import Webhook
from tests.domain.strategies import instants, submissions, texts

ids = st.integers(min_value=1, max_value=2**53)
maybe_texts = st.none() | texts
choose = st.randoms().map(lambda r: r.choice)


def new_event_id(pick: Any) -> str:
    """A fresh event id, as every new event draws one."""
    return new_event(EventType.WEBHOOK_TEST, Mode.TEST, {}, datetime(2026, 2, 6), pick).id


def reference_body(event: Event, data: dict[str, Any]) -> bytes:
    """How ``Event.body()`` spelled a body before the shapes."""
    document = {
        "id": event.id,
        "event": event.type.value,
        "timestamp": format_instant(event.timestamp),
        "data": data,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def reference_operational_data(
    kind: EventType,
    webhook: Webhook,
    delivery: Delivery,
    attempt: Attempt,
    status: DeliveryStatus,
) -> dict[str, Any]:
    """``operational_event``'s data as it was written by hand before the shapes."""
    data: dict[str, Any] = {
        "webhook": {
            "id": webhook.id,
            "url": webhook.url,
            "active": webhook.active,
            "failure_count": webhook.failure_count,
            "disabled_reason": webhook.disabled_reason,
            "disabled_at": (
                format_instant(webhook.disabled_at) if webhook.disabled_at is not None else None
            ),
        },
        "delivery": {
            "id": delivery.id,
            "event": delivery.event.value,
            "event_id": delivery.event_id,
            "status": status.value,
            "attempt_count": attempt.attempt,
        },
        "attempt": {
            "attempt": attempt.attempt,
            "status_code": attempt.status_code,
            "error": attempt.error,
            "duration_ms": attempt.duration_ms,
            "attempted_at": format_instant(attempt.attempted_at),
        },
    }
    if kind is EventType.WEBHOOK_DISABLED:
        data["reason"] = webhook.disabled_reason
    return data


@st.composite
def webhooks(draw: st.DrawFn) -> Webhook:
    return Webhook(
        id=draw(ids),
        url=draw(texts),
        events=draw(st.frozensets(st.sampled_from(EventType))),
        secret="whsec_c2VjcmV0LXNpZ25pbmcta2V5LW9mLTMyLWJ5dGVzISE=",
        api_key_id=draw(st.none() | ids),
        mode=draw(st.sampled_from(Mode)),
        created_at=draw(instants),
        active=draw(st.booleans()),
        failure_count=draw(st.integers(0, 50)),
        disabled_reason=draw(maybe_texts),
        disabled_at=draw(st.none() | instants),
    )


@st.composite
def deliveries(draw: st.DrawFn) -> Delivery:
    return Delivery(
        id=draw(ids),
        webhook_id=draw(ids),
        event_id=draw(st.builds(new_event_id, choose)),
        event=draw(st.sampled_from(EventType)),
        payload=b"{}",
        status=draw(st.sampled_from(DeliveryStatus)),
        attempt_count=draw(st.integers(0, 9)),
        next_attempt_at=draw(st.none() | instants),
        created_at=draw(instants),
        updated_at=draw(instants),
    )


attempts = st.builds(
    Attempt,
    attempt=st.integers(1, 9),
    status_code=st.none() | st.integers(100, 599),
    duration_ms=st.integers(0, 10**6),
    error=maybe_texts,
    response_snippet=maybe_texts,
    attempted_at=instants,
)


@given(
    st.sampled_from(sorted(OPERATIONAL)),
    webhooks(),
    deliveries(),
    attempts,
    st.sampled_from(DeliveryStatus),
    instants,
    choose,
)
def test_an_operational_body_is_the_hand_built_one_byte_for_byte(
    kind: EventType,
    webhook: Webhook,
    delivery: Delivery,
    attempt: Attempt,
    status: DeliveryStatus,
    now: datetime,
    pick: Any,
) -> None:
    event = operational_event(kind, webhook, delivery, attempt, status, now=now, choose=pick)
    expected = reference_operational_data(kind, webhook, delivery, attempt, status)
    assert event.body() == reference_body(event, expected)
    assert ("reason" in json.loads(event.body())["data"]) == (kind is EventType.WEBHOOK_DISABLED)


@given(submissions(), instants, choose, st.booleans())
def test_submission_bodies_are_the_hand_built_ones_byte_for_byte(
    submission: Any, now: datetime, pick: Any, scheduled: bool
) -> None:
    change = Change(submission=submission, changed=True, scheduled=scheduled)
    made = [
        *submission_created(submission, now=now, choose=pick),
        *submission_changed(change, now=now, choose=pick),
    ]
    for event in made:
        assert event.body() == reference_body(event, submission_document(submission))
    (deleted,) = submission_deleted(submission, now=now, choose=pick)
    assert deleted.body() == reference_body(deleted, {"id": submission.id})


@given(ids, st.sampled_from(Mode), instants, choose)
def test_a_test_send_body_is_the_hand_built_one_byte_for_byte(
    webhook_id: int, mode: Mode, now: datetime, pick: Any
) -> None:
    event = webhook_test(webhook_id, mode, now=now, choose=pick)
    assert (event.type, event.mode) == (EventType.WEBHOOK_TEST, mode)
    expected = {"webhook_id": webhook_id, "message": "This is a test event from Connect."}
    assert event.body() == reference_body(event, expected)


@given(choose)
def test_event_ids_match_the_documented_pattern_which_is_the_alphabet(pick: Any) -> None:
    assert re.fullmatch(EVENT_ID_PATTERN, new_event_id(pick))
    (character_class,) = re.findall(r"\[[^\]]+\]", EVENT_ID_PATTERN)
    assert {c for c in map(chr, range(128)) if re.fullmatch(character_class, c)} == set(ALPHABET)


def test_every_event_type_has_a_description_and_a_body_shape_that_ends_in_data() -> None:
    assert set(KINDS) == set(EventType)
    envelope = [a.name for a in fields(EventBody)]
    for kind in KINDS.values():
        assert kind.description.endswith(".")
        assert issubclass(kind.body, EventBody)
        assert [a.name for a in fields(kind.body)] == [*envelope, "data"]


@given(instants, st.sampled_from(EventType), ids)
def test_plain_spells_a_shape_in_its_field_order_and_keeps_json_ready_values(
    now: datetime, kind: EventType, id: int
) -> None:
    body = plain(EventBody(f"evt_{id}", kind, now))
    assert list(body.items()) == [
        ("id", f"evt_{id}"),
        ("event", kind.value),
        ("timestamp", format_instant(now)),
    ]
    assert type(body["event"]) is str
    kept = {"id": id, "nested": [1, None]}
    assert plain(kept) is kept
