"""What is past retention: the rules every storage adapter follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.deliveries import DeliveryStatus
from connect.domain.retention import FINISHED, cutoff, delivery_expired, event_expired, expired
from tests.domain.strategies import instants

days = st.integers(min_value=1, max_value=3650)
ages = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4000)).map(
    lambda d: timedelta(seconds=int(d.total_seconds()))
)


@given(instants, days, ages)
def test_something_is_past_retention_exactly_when_older_than_the_retention_days(
    now, retention, age
) -> None:
    assert expired(now - age, cutoff(now, retention)) is (age > timedelta(days=retention))


@given(instants, days, days)
def test_a_longer_retention_never_removes_more(now, shorter, longer) -> None:
    shorter, longer = sorted((shorter, longer))
    assert cutoff(now, longer) <= cutoff(now, shorter)


@given(st.sampled_from(DeliveryStatus), instants, instants)
def test_a_delivery_still_to_be_attempted_is_never_purged(status, updated_at, limit) -> None:
    if status not in FINISHED:
        assert not delivery_expired(status, updated_at, limit)
    else:
        assert delivery_expired(status, updated_at, limit) is (updated_at < limit)


@given(instants, instants, st.booleans())
def test_an_event_stays_in_the_feed_while_a_delivery_of_it_is_kept(at, limit, kept) -> None:
    assert event_expired(at, limit, kept) is (at < limit and not kept)


@pytest.mark.parametrize("retention", [0, -1])
def test_a_retention_below_one_day_is_refused(retention) -> None:
    with pytest.raises(ValueError, match="at least 1 day"):
        cutoff(datetime(2026, 1, 1, tzinfo=UTC), retention)
