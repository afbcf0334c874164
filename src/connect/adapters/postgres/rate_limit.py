"""Rate limiting shared by every process on one PostgreSQL database.

Each check is one call of ``connect_rate_limit`` (migration 2 in ``schema.py``), one
round trip on a pooled autocommit connection, outside any service transaction. Time is
the database server's clock, so API processes and workers on several machines count in
one sliding-window log per partition, with the semantics of
``connect.domain.rate_limit``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import psycopg

from connect.adapters.postgres.unit_of_work import PostgresUnitOfWork
from connect.domain.errors import StorageUnavailable
from connect.domain.rate_limit import Decision, Quota

_CHECK = (
    "SELECT allowed, remaining, reset, retry_after FROM connect_rate_limit(%s, %s, %s, %s, %s, %s)"
)


class PostgresRateLimiter:
    """A ``RateLimiter`` whose windows live in the database, shared by all processes.

    Args:
        uow: the PostgreSQL storage whose pool the checks borrow a connection from.
        now: seconds since the epoch to decide at, instead of the database's clock.
            For tests only: processes that disagree about the time would not share
            one window.
    """

    def __init__(self, uow: PostgresUnitOfWork, *, now: Callable[[], float] | None = None) -> None:
        self._uow = uow
        self._now = now

    def acquire(self, claims: Sequence[tuple[Quota, str]]) -> list[Decision]:
        if not claims:
            return []
        return self._check(claims, counting=True)

    def refusal(self, quota: Quota, partition: str) -> Decision | None:
        decision = self._check([(quota, partition)], counting=False)[0]
        return None if decision.allowed else decision

    def _check(self, claims: Sequence[tuple[Quota, str]], *, counting: bool) -> list[Decision]:
        quotas = [quota for quota, _ in claims]
        params = (
            [q.name for q in quotas],
            [partition for _, partition in claims],
            [q.limit for q in quotas],
            [q.window for q in quotas],
            counting,
            self._now() if self._now is not None else None,
        )
        try:
            with self._uow.connection() as conn:
                rows = conn.execute(_CHECK, params).fetchall()
        except psycopg.Error as e:
            raise StorageUnavailable(f"cannot check rate limits in {self._uow.where}") from e
        return [
            Decision(quota, bool(allowed), int(remaining), int(reset), int(retry_after))
            for quota, (allowed, remaining, reset, retry_after) in zip(quotas, rows, strict=True)
        ]
