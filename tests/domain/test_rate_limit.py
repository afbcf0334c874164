"""Properties of the rate-limit math."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from connect.domain.rate_limit import (
    Decision,
    Quota,
    SlidingWindow,
    admit_all,
    closest_to_limit,
)

quotas = st.builds(Quota, name=st.just("p"), limit=st.integers(1, 12), window=st.integers(1, 120))
# NOTE: times are multiples of 1/8 s: exact in binary floating point, so the
# properties test the rule rather than rounding.
gaps = st.lists(st.integers(0, 400).map(lambda n: n / 8), min_size=1, max_size=200)


def admit(window: SlidingWindow, quota: Quota, now: float) -> Decision:
    """One request under one quota, the way the limiters count it."""
    return admit_all([(quota, window)], now)[0]


def arrivals(deltas: list[float]) -> list[float]:
    times, now = [], 1000.0
    for delta in deltas:
        now += delta
        times.append(now)
    return times


@given(quotas, gaps)
def test_never_admits_more_than_the_quota_in_any_window(quota: Quota, deltas: list[float]) -> None:
    window = SlidingWindow()
    admitted = [t for t in arrivals(deltas) if admit(window, quota, t).allowed]
    for start in admitted:
        inside = [t for t in admitted if start <= t < start + quota.window]
        assert len(inside) <= quota.limit


@given(quotas, gaps, st.integers(0, 400).map(lambda n: n / 8))
def test_a_window_that_is_not_possibly_full_admits_whenever_asked(
    quota: Quota, deltas: list[float], later: float
) -> None:
    window = SlidingWindow()
    times = arrivals(deltas)
    for t in times:
        admit(window, quota, t)
    if not window.may_be_full(quota):
        assert window.decide(quota, times[-1] + later).allowed


@given(quotas, gaps)
def test_admits_every_request_while_under_the_quota(quota: Quota, deltas: list[float]) -> None:
    window = SlidingWindow()
    admitted: list[float] = []
    for t in arrivals(deltas):
        recent = [a for a in admitted if a > t - quota.window]
        decision = admit(window, quota, t)
        assert decision.allowed == (len(recent) < quota.limit)
        if decision.allowed:
            admitted.append(t)


@given(quotas, gaps)
def test_remaining_is_exactly_how_many_more_it_admits_now(
    quota: Quota, deltas: list[float]
) -> None:
    window = SlidingWindow()
    times = arrivals(deltas)
    for t in times[:-1]:
        admit(window, quota, t)
    now = times[-1]
    decision = admit(window, quota, now)
    if decision.allowed:
        for _ in range(decision.remaining):
            assert admit(window, quota, now).allowed
    assert not admit(window, quota, now).allowed


@given(quotas, gaps)
def test_a_refused_client_succeeds_after_retry_after_and_not_a_second_sooner(
    quota: Quota, deltas: list[float]
) -> None:
    window = SlidingWindow()
    times = arrivals(deltas)
    for t in times:
        admit(window, quota, t)
    now = times[-1]
    while admit(window, quota, now).allowed:
        pass
    refused = window.decide(quota, now)
    assert not refused.allowed and refused.remaining == 0
    assert refused.reset == refused.retry_after >= 1
    assert not window.decide(quota, now + refused.retry_after - 1).allowed
    assert window.decide(quota, now + refused.retry_after).allowed


@given(quotas, gaps)
def test_more_quota_is_available_once_reset_seconds_pass(quota: Quota, deltas: list[float]) -> None:
    window = SlidingWindow()
    times = arrivals(deltas)
    decision = None
    for t in times:
        decision = admit(window, quota, t)
    assert decision is not None
    if not decision.allowed:
        return
    later = times[-1] + decision.reset
    admitted = 0
    while admit(window, quota, later).allowed:
        admitted += 1
    assert admitted >= decision.remaining + 1
    assert 1 <= decision.reset <= quota.window


@given(quotas, quotas, gaps)
def test_a_request_refused_by_one_policy_counts_against_none(
    first: Quota, second: Quota, deltas: list[float]
) -> None:
    a, b = SlidingWindow(), SlidingWindow()
    admitted = 0
    for t in arrivals(deltas):
        decisions = admit_all([(first, a), (second, b)], t)
        if all(d.allowed for d in decisions):
            admitted += 1
        shown = closest_to_limit(decisions)
        assert shown.allowed == all(d.allowed for d in decisions)
        assert shown.remaining == min(d.remaining for d in decisions)
    # Each window holds only what both admitted: neither counted a refused request.
    assert len(a._times) <= admitted and len(b._times) <= admitted


def test_the_headers_describe_the_policy_closest_to_its_limit() -> None:
    per_key, exports = Quota("per-key", 100, 60), Quota("exports", 10, 3600)
    a, b = SlidingWindow(), SlidingWindow()
    shown = closest_to_limit(admit_all([(per_key, a), (exports, b)], 0.0))
    assert (shown.quota.name, shown.remaining) == ("exports", 9)
