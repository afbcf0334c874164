"""Which quotas a request counts against, and the in-process limiter's bounds."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from connect.adapters.ratelimit import InProcessRateLimiter
from connect.domain.rate_limit import Quota
from connect.services.rate_limits import RateLimits, RatePolicies
from tests.conftest import principal


class Ticker:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_zero_turns_a_policy_off() -> None:
    policies = RatePolicies.of(0, 0, (0, 900))
    limits = RateLimits(InProcessRateLimiter(), policies)
    assert limits.for_key(principal(), export=True) is None
    assert limits.for_form("192.0.2.1") is None


def test_each_key_and_each_ip_has_its_own_quota() -> None:
    ticker = Ticker()
    limits = RateLimits(InProcessRateLimiter(ticker), RatePolicies.of(2, 10, (1, 900)))
    one, two = principal(key=1), principal(key=2)
    assert [limits.for_key(one).allowed for _ in range(3)] == [True, True, False]  # type: ignore[union-attr]
    assert limits.for_key(two).allowed  # type: ignore[union-attr]
    assert limits.for_form("192.0.2.1").allowed  # type: ignore[union-attr]
    assert not limits.for_form("192.0.2.1").allowed  # type: ignore[union-attr]
    assert limits.for_form("192.0.2.2").allowed  # type: ignore[union-attr]
    ticker.now = 60.0
    assert limits.for_key(one).allowed  # type: ignore[union-attr]


def test_the_limiter_remembers_a_bounded_number_of_partitions() -> None:
    ticker = Ticker()
    limiter = InProcessRateLimiter(ticker, max_partitions=50)
    quota = Quota("form", 1, 900)
    for n in range(500):
        ticker.now = n / 10
        limiter.acquire([(quota, f"10.0.{n // 256}.{n % 256}")])
        assert len(limiter) <= 50


def test_threads_sharing_a_partition_get_exactly_the_quota() -> None:
    limiter = InProcessRateLimiter()
    quota = Quota("per-key", 250, 60)
    admitted: list[bool] = []
    lock = threading.Lock()

    def hammer() -> None:
        mine = [limiter.acquire([(quota, "1")])[0].allowed for _ in range(100)]
        with lock:
            admitted.extend(mine)

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert admitted.count(True) == 250 and len(admitted) == 1600


def test_a_client_is_refused_once_its_failed_authentications_fill_the_window() -> None:
    ticker = Ticker()
    limits = RateLimits(InProcessRateLimiter(ticker), RatePolicies.of(0, 0, (0, 900), (3, 60)))
    ip, other = "192.0.2.1", "192.0.2.2"
    key_id = "rnc_live_Ab3dE9xQ"
    for _ in range(5):
        assert limits.auth_refusal(ip, key_id) is None, "asking counts nothing"
    counted = [limits.auth_failed(ip, key_id) for _ in range(3)]
    assert [d.remaining for d in counted if d is not None] == [2, 1, 0]
    ticker.now = 10.0
    refusal = limits.auth_refusal(ip, key_id)
    assert refusal is not None and refusal.quota.name == "auth-failures"
    assert refusal.retry_after == 50
    assert limits.auth_refusal(other, key_id) is None, "the per-key policy is off here"
    ticker.now = 60.0
    assert limits.auth_refusal(ip, key_id) is None


def test_guesses_at_one_key_id_are_bounded_whatever_the_address() -> None:
    ticker = Ticker()
    policies = RatePolicies.of(0, 0, (0, 900), (0, 60), auth_failures_per_key=(4, 60))
    limits = RateLimits(InProcessRateLimiter(ticker), policies)
    target, other = "rnc_live_Ab3dE9xQ", "rnc_live_Zz9yX8wV"
    for n in range(4):
        assert limits.auth_refusal(f"192.0.2.{n}", target) is None
        limits.auth_failed(f"192.0.2.{n}", target)
    refusal = limits.auth_refusal("198.51.100.1", target)
    assert refusal is not None and refusal.quota.name == "auth-failures-per-key"
    assert limits.auth_refusal("198.51.100.1", other) is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 2), st.floats(0, 5)),
        max_size=80,
    )
)
def test_counted_failures_never_exceed_either_quota_in_any_window(
    attempts: list[tuple[int, int, float]],
) -> None:
    ticker = Ticker()
    limits = RateLimits(
        InProcessRateLimiter(ticker),
        RatePolicies.of(0, 0, (0, 900), (3, 60), auth_failures_per_key=(5, 60)),
    )
    counted: list[tuple[float, int, int]] = []
    for address, key, step in attempts:
        ticker.now += step
        ip, key_id = f"192.0.2.{address}", f"rnc_live_key{key:05d}"
        if limits.auth_refusal(ip, key_id) is None:
            decision = limits.auth_failed(ip, key_id)
            assert decision is not None
            counted.append((ticker.now, address, key))
    for at, _, _ in counted:
        window = [(a, k) for t, a, k in counted if at - 60 < t <= at]
        for address in {a for a, _ in window}:
            assert sum(1 for a, _ in window if a == address) <= 3
        for key in {k for _, k in window}:
            assert sum(1 for _, k in window if k == key) <= 5


def test_zero_turns_the_failed_authentication_limit_off() -> None:
    limits = RateLimits(InProcessRateLimiter(), RatePolicies.of(0, 0, (0, 900), (0, 60)))
    assert limits.auth_failed("192.0.2.1", "rnc_live_Ab3dE9xQ") is None
    assert limits.auth_refusal("192.0.2.1", "rnc_live_Ab3dE9xQ") is None
