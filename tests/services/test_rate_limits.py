"""Which quotas a request counts against, and the in-process limiter's bounds."""

from __future__ import annotations

import threading

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
    for _ in range(5):
        assert limits.auth_refusal(ip) is None, "asking counts nothing"
    counted = [limits.auth_failed(ip) for _ in range(3)]
    assert [d.remaining for d in counted if d is not None] == [2, 1, 0]
    ticker.now = 10.0
    refusal = limits.auth_refusal(ip)
    assert refusal is not None and refusal.quota.name == "auth-failures"
    assert refusal.retry_after == 50
    assert limits.auth_refusal(other) is None
    ticker.now = 60.0
    assert limits.auth_refusal(ip) is None


def test_zero_turns_the_failed_authentication_limit_off() -> None:
    limits = RateLimits(InProcessRateLimiter(), RatePolicies.of(0, 0, (0, 900), (0, 60)))
    assert limits.auth_failed("192.0.2.1") is None
    assert limits.auth_refusal("192.0.2.1") is None
