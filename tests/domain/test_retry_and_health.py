from __future__ import annotations

from datetime import UTC, datetime

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.pacing import Pacer
from connect.domain.retry import (
    DEFAULT_SCHEDULE,
    Outcome,
    classify,
    parse_retry_after,
    retry_delay,
)
from connect.domain.webhooks import Webhook

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
units = st.floats(min_value=0, max_value=0.999999)


def hook(**changes) -> Webhook:
    base = Webhook(
        id=1,
        url="https://example.com/hook",
        events=frozenset({EventType.SUBMISSION_CREATED}),
        secret="whsec_AAAA",
        api_key_id=1,
        mode=Mode.LIVE,
        created_at=NOW,
    )
    return evolve(base, **changes)


@given(st.integers(1, len(DEFAULT_SCHEDULE) - 1), units)
def test_retry_delays_stay_within_twenty_percent_of_the_schedule(made, unit):
    delay = retry_delay(DEFAULT_SCHEDULE, made, lambda: unit)
    planned = DEFAULT_SCHEDULE[made]
    assert delay is not None
    assert planned * 0.8 <= delay <= planned * 1.2


@given(st.integers(1, len(DEFAULT_SCHEDULE) - 2), units, units)
def test_retry_delays_grow_from_one_attempt_to_the_next(made, a, b):
    first = retry_delay(DEFAULT_SCHEDULE, made, lambda: a)
    second = retry_delay(DEFAULT_SCHEDULE, made + 1, lambda: b)
    assert first is not None and second is not None
    if DEFAULT_SCHEDULE[made] < DEFAULT_SCHEDULE[made + 1]:
        assert (
            DEFAULT_SCHEDULE[made] * 1.2 <= DEFAULT_SCHEDULE[made + 1] * 0.8
            or first <= second * 1.5
        )


def test_after_the_last_attempt_there_is_none():
    assert retry_delay(DEFAULT_SCHEDULE, len(DEFAULT_SCHEDULE), lambda: 0.5) is None


@given(st.integers(0, 10**6))
def test_retry_after_is_honoured_up_to_ten_hours(seconds):
    delay = retry_delay(DEFAULT_SCHEDULE, 1, lambda: 0.5, float(seconds))
    assert delay == min(seconds, 36000)


def test_retry_after_reads_seconds_and_http_dates_of_429_and_503_only():
    assert parse_retry_after(429, "120", NOW) == 120
    assert parse_retry_after(503, "Fri, 06 Feb 2026 14:00:40 GMT", NOW) == 180
    assert parse_retry_after(429, "soon", NOW) is None
    assert parse_retry_after(500, "120", NOW) is None and parse_retry_after(None, "1", NOW) is None


def test_only_2xx_succeeds_and_redirects_fail():
    assert classify(200) is Outcome.SUCCESS and classify(204) is Outcome.SUCCESS
    assert classify(301) is Outcome.FAILURE and classify(None) is Outcome.FAILURE
    assert classify(410) is Outcome.GONE


@given(st.integers(0, 30))
def test_failures_disable_the_endpoint_at_exactly_ten(failures):
    webhook = hook()
    for _ in range(failures):
        webhook = webhook.after_attempt(Outcome.FAILURE, NOW)
    assert webhook.active is (failures < 10)
    assert webhook.failure_count == failures


def test_a_success_resets_the_count_and_gone_disables_at_once():
    webhook = hook(failure_count=9).after_attempt(Outcome.SUCCESS, NOW)
    assert webhook.failure_count == 0 and webhook.active
    gone = hook().after_attempt(Outcome.GONE, NOW)
    assert not gone.active and "410" in (gone.disabled_reason or "")
    again = gone.enabled()
    assert again.active and again.failure_count == 0 and again.disabled_reason is None


def test_the_previous_secret_signs_only_during_its_grace_period():
    rotated = hook().rotated("whsec_BBBB", NOW, 60)
    assert rotated.active_secrets(NOW) == ["whsec_BBBB", "whsec_AAAA"]
    assert rotated.active_secrets(NOW.replace(minute=59)) == ["whsec_BBBB"]
    assert hook().rotated("whsec_BBBB", NOW, 0).active_secrets(NOW) == ["whsec_BBBB"]


@given(st.lists(st.floats(0, 0.5), min_size=1, max_size=200))
def test_pacing_never_admits_more_than_the_rate_in_any_second(steps):
    pacer = Pacer(10)
    now, starts = 0.0, []
    for step in steps:
        now += step
        if pacer.wait(1, now) == 0:
            pacer.take(1, now)
            starts.append(now)
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s < start + 1.0 - 1e-9) <= 10
