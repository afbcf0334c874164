from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from connect.domain.alerts import ALERTED, alert_for
from connect.domain.escaping import is_unsafe
from connect.domain.events import OPERATIONAL, Event, EventType
from connect.domain.mode import Mode

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
anything = st.text(max_size=80)


@given(st.sampled_from(EventType), anything, anything, st.none() | st.integers(100, 599))
def test_only_disabled_and_exhausted_are_mailed_and_no_control_character_gets_in(
    kind, url, error, code
):
    event = Event(
        id="evt_" + "a" * 24,
        type=kind,
        timestamp=NOW,
        mode=Mode.TEST,
        data={
            "reason": error,
            "webhook": {"id": 3, "url": url},
            "delivery": {"id": 9, "event": "submission.created", "event_id": "evt_x"},
            "attempt": {"attempt": 8, "status_code": code, "error": error},
        },
    )
    alert = alert_for(event)
    assert (alert is not None) == (kind in ALERTED)
    if alert is None:
        return
    # NOTE: a backslash stays, as the start of an escape; the body's lines end in "\n".
    assert [c for c in alert.subject if is_unsafe(c) and c != "\\"] == []
    assert [c for c in alert.body if is_unsafe(c) and c not in "\\\n"] == []
    assert "webhook 3" in alert.subject and "Mode: test" in alert.body


def test_the_mailed_events_are_operational():
    assert {EventType.WEBHOOK_DISABLED, EventType.DELIVERY_EXHAUSTED} == ALERTED
    assert ALERTED <= OPERATIONAL
