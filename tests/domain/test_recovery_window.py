from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.http.structure import structure
from connect.domain.errors import ValidationFailed
from connect.domain.recovery import MAX_AGE, RecoveryWindow, window
from connect.domain.requests.webhooks import RecoveryRequest
from connect.domain.time import format_instant


def parse_window(body: dict[str, object], now: datetime) -> RecoveryWindow:
    """A recover body as the API reads it: structured, then the window's rules."""
    return window(structure(body, RecoveryRequest), now)


NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
seconds_back = st.integers(0, int(MAX_AGE.total_seconds()))


def fields_of(error: ValidationFailed) -> set[str]:
    return {e.field for e in error.errors}


@given(seconds_back, seconds_back)
def test_a_window_within_fourteen_days_is_taken_as_given(a, b):
    start, end = NOW - timedelta(seconds=max(a, b)), NOW - timedelta(seconds=min(a, b))
    body = {"since": format_instant(start), "until": format_instant(end)}
    if start < end:
        assert parse_window(body, NOW) == RecoveryWindow(start, end)
    else:
        with pytest.raises(ValidationFailed) as error:
            parse_window(body, NOW)
        assert fields_of(error.value) == {"until"}


@given(st.integers(1, int(MAX_AGE.total_seconds())))
def test_until_defaults_to_now(back):
    start = NOW - timedelta(seconds=back)
    window = parse_window({"since": format_instant(start)}, NOW)
    assert window == RecoveryWindow(start, NOW)


@given(st.integers(1, 10**8))
def test_since_more_than_fourteen_days_ago_is_refused(extra):
    start = NOW - MAX_AGE - timedelta(seconds=extra)
    with pytest.raises(ValidationFailed) as error:
        parse_window({"since": format_instant(start)}, NOW)
    assert fields_of(error.value) == {"since"}
    assert "14 days" in str(error.value)


@given(st.one_of(st.none(), st.integers(), st.booleans(), st.lists(st.text()), st.text()))
def test_since_that_is_not_a_time_is_refused(value):
    try:
        parse_window({"since": value}, NOW)
    except ValidationFailed as error:
        assert "since" in fields_of(error)
    else:
        # NOTE: only a real ISO date or datetime in the last 14 days gets through.
        assert isinstance(value, str)


def test_since_is_required_and_unknown_fields_are_refused():
    with pytest.raises(ValidationFailed) as error:
        parse_window({"from": "2026-02-05"}, NOW)
    assert fields_of(error.value) == {"since", "from"}


def test_a_date_means_midnight_utc():
    assert parse_window({"since": "2026-02-05"}, NOW).since == datetime(2026, 2, 5, tzinfo=UTC)
