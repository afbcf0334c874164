"""The RateLimiter contract, for the in-process limiter and the PostgreSQL one.

Sequences of requests are checked against the domain model (``SlidingWindow`` through
``admit_all``) at times the test chooses; for PostgreSQL the time is handed to the
database function through the limiter's test hook. The properties that do not depend on
a chosen time (never more than the quota, all or none, a refusal says when to retry) are
also checked on the database's own clock, and under concurrency through two pools, as
two processes would.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.rate_limit import PostgresRateLimiter
from connect.adapters.ratelimit import InProcessRateLimiter
from connect.domain.rate_limit import Quota, SlidingWindow, admit_all
from connect.ports.rate_limit import RateLimiter

# NOTE: about now in seconds since the epoch, and steps of 1/8 s: exact in binary
# floating point, so the comparison with the model tests the rule, not rounding.
START = 1_800_000_000.0


class Hands:
    """The time the limiter under test decides at, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


MakeLimiter = Callable[..., RateLimiter]


@pytest.fixture(scope="module", params=["in-process", "postgres"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_limiter(kind: str, request: pytest.FixtureRequest) -> Iterator[MakeLimiter]:
    """A factory of limiters sharing one state (one database for PostgreSQL)."""
    if kind == "in-process":
        # NOTE: one process has one limiter: without a chosen time, a second "process"
        # is the same limiter.
        one = InProcessRateLimiter()

        def in_process(hands: Hands | None = None) -> RateLimiter:
            return InProcessRateLimiter(hands) if hands is not None else one

        yield in_process
        return
    url = request.getfixturevalue("postgres_url")
    pools: list[PostgresUnitOfWork] = []

    def postgres(hands: Hands | None = None) -> RateLimiter:
        # NOTE: a limiter on a chosen time reuses the first pool; each other one gets
        # its own pool, like another process.
        if hands is None or not pools:
            uow = PostgresUnitOfWork(url, max_connections=8)
            uow.migrate()
            pools.append(uow)
        return PostgresRateLimiter(pools[-1] if hands is None else pools[0], now=hands)

    yield postgres
    for uow in pools:
        uow.close()


@pytest.fixture
def database_clock_limiter(kind: str, request: pytest.FixtureRequest) -> Iterator[RateLimiter]:
    """A limiter on its real clock: the monotonic one, or the database server's."""
    if kind == "in-process":
        yield InProcessRateLimiter()
        return
    uow = PostgresUnitOfWork(request.getfixturevalue("postgres_url"))
    uow.migrate()
    yield PostgresRateLimiter(uow)
    uow.close()


QUOTAS = st.tuples(st.integers(1, 5), st.integers(1, 20))
PARTITIONS = ["203.0.113.7", "rnc_live_abcdefgh", "42"]
claim = st.tuples(st.integers(0, 2), st.sampled_from(PARTITIONS))
step = st.tuples(
    st.sampled_from(["acquire", "refusal"]),
    st.lists(claim, min_size=1, max_size=3),
    st.integers(0, 80).map(lambda n: n / 8),
)
examples = itertools.count()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(QUOTAS, min_size=3, max_size=3), st.lists(step, min_size=1, max_size=25))
def test_every_answer_is_the_sliding_window_logs_answer(
    make_limiter: MakeLimiter,
    shapes: list[tuple[int, int]],
    steps: list[tuple[str, list[tuple[int, str]], float]],
) -> None:
    hands = Hands()
    limiter = make_limiter(hands)
    # NOTE: fresh quota names each example: the limiter's state outlives one example.
    run = next(examples)
    quotas = [Quota(f"q{run}-{i}", limit, window) for i, (limit, window) in enumerate(shapes)]
    model: dict[tuple[str, str], SlidingWindow] = {}

    def window(quota: Quota, partition: str) -> SlidingWindow:
        return model.setdefault((quota.name, partition), SlidingWindow())

    for action, picked, delay in steps:
        hands.now += delay
        claims = [(quotas[i], partition) for i, partition in picked]
        if action == "acquire":
            expected = admit_all([(q, window(q, p)) for q, p in claims], hands.now)
            assert limiter.acquire(claims) == expected
        else:
            quota, partition = claims[0]
            decision = window(quota, partition).decide(quota, hands.now)
            assert limiter.refusal(quota, partition) == (None if decision.allowed else decision)


def test_never_admits_more_than_the_limit_in_a_window_on_its_own_clock(
    database_clock_limiter: RateLimiter,
) -> None:
    quota = Quota("per-key", 7, 3600)
    decisions = [database_clock_limiter.acquire([(quota, "key-1")])[0] for _ in range(12)]
    assert [d.allowed for d in decisions] == [True] * 7 + [False] * 5
    assert [d.remaining for d in decisions[:7]] == [6, 5, 4, 3, 2, 1, 0]
    refused = decisions[-1]
    assert refused.remaining == 0 and 1 <= refused.retry_after <= 3600
    assert refused.reset == refused.retry_after
    again = database_clock_limiter.refusal(quota, "key-1")
    assert again is not None and again.quota == quota and 1 <= again.retry_after <= 3600
    # Another partition has its own window.
    assert database_clock_limiter.acquire([(quota, "key-2")])[0].allowed


def test_a_request_refused_by_one_quota_counts_against_none(
    database_clock_limiter: RateLimiter,
) -> None:
    per_key, exports = Quota("per-key", 5, 60), Quota("exports", 2, 3600)
    both = [(per_key, "key-1"), (exports, "key-1")]
    answers = [[d.allowed for d in database_clock_limiter.acquire(both)] for _ in range(4)]
    assert answers == [[True, True], [True, True], [True, False], [True, False]]
    # The two refused exports were not counted under per-key: 3 of 5 remain.
    alone = database_clock_limiter.acquire([(per_key, "key-1")])[0]
    assert alone.allowed and alone.remaining == 2
    assert database_clock_limiter.refusal(per_key, "key-1") is None
    assert database_clock_limiter.refusal(exports, "key-1") is not None


def test_a_refusal_says_to_retry_after_at_least_a_second(
    database_clock_limiter: RateLimiter,
) -> None:
    quota = Quota("form", 1, 60)
    assert database_clock_limiter.acquire([(quota, "203.0.113.9")])[0].allowed
    refused = database_clock_limiter.acquire([(quota, "203.0.113.9")])[0]
    assert not refused.allowed and 1 <= refused.retry_after <= 60
    assert refused.reset == refused.retry_after


def hammer(limiters: list[RateLimiter], claims: list[list[tuple[Quota, str]]], each: int) -> int:
    """Threads acquiring through ``limiters`` round-robin; how many requests were
    admitted (under every claim)."""
    start = threading.Barrier(len(claims))

    def one(index: int) -> int:
        limiter = limiters[index % len(limiters)]
        start.wait()
        return sum(all(d.allowed for d in limiter.acquire(claims[index])) for _ in range(each))

    with ThreadPoolExecutor(len(claims)) as pool:
        return sum(pool.map(one, range(len(claims))))


def test_many_threads_through_two_processes_admit_exactly_the_limit(
    make_limiter: MakeLimiter,
) -> None:
    first, second = make_limiter(), make_limiter()
    quota = Quota("per-key", 37, 3600)
    admitted = hammer([first, second], [[(quota, "key-1")]] * 12, each=8)
    assert admitted == 37


def test_requests_claiming_two_partitions_in_either_order_neither_deadlock_nor_overrun(
    make_limiter: MakeLimiter,
) -> None:
    first, second = make_limiter(), make_limiter()
    per_ip, per_key = Quota("auth-failures", 20, 3600), Quota("auth-failures-per-key", 25, 3600)
    forwards = [(per_ip, "198.51.100.1"), (per_key, "rnc_live_abcdefgh")]
    backwards = list(reversed(forwards))
    admitted = hammer([first, second], [forwards, backwards] * 5, each=6)
    assert admitted == 20
    # Exactly 20 admitted under both: the per-key quota has 5 left.
    assert first.acquire([(per_key, "rnc_live_abcdefgh")])[0].remaining == 4


def test_the_windows_table_keeps_only_live_partitions_plus_a_few_idle_ones(
    postgres_url: str,
) -> None:
    uow = PostgresUnitOfWork(postgres_url)
    uow.migrate()
    hands = Hands()
    limiter = PostgresRateLimiter(uow, now=hands)
    quota = Quota("form", 3, 900)
    try:
        for n in range(100):
            limiter.acquire([(quota, f"198.51.100.{n}")])
        hands.now += 900  # every one of them idle now
        for n in range(60):
            limiter.acquire([(quota, f"203.0.113.{n}")])
        with uow.connection() as conn:
            rows = conn.execute(
                "SELECT count(*), max(cardinality(times)) FROM rate_limit_windows_1"
            ).fetchone()
    finally:
        uow.close()
    # Each new partition removed up to two idle ones: the 100 idle ones are gone.
    assert rows == (60, 1)
