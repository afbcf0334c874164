"""``last_used_at`` is written at most once a minute per key."""

from __future__ import annotations

from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import Connect
from connect.domain.keys import Scope
from connect.testing import ManualClock


class CountingUnitOfWork(MemoryUnitOfWork):
    """Counts write transactions (``write=True``)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def __call__(self, write: bool = True):  # type: ignore[no-untyped-def]
        if write:
            self.writes += 1
        return super().__call__(write)


def test_last_used_at_is_written_at_most_once_a_minute(
    memory_connect: Connect, clock: ManualClock
) -> None:
    issued = memory_connect.keys.create(
        name="ci", scopes=frozenset({Scope.SUBMISSIONS_READ}), created_by="t"
    )
    first = clock.now()
    memory_connect.keys.authenticate(issued.token)
    clock.advance(30)
    memory_connect.keys.authenticate(issued.token)
    clock.advance(29)
    memory_connect.keys.authenticate(issued.token)
    with memory_connect.uow(write=False) as stores:
        assert stores.keys.get(issued.key.id).last_used_at == first  # type: ignore[union-attr]
    clock.advance(1)  # a minute after the first use
    memory_connect.keys.authenticate(issued.token)
    with memory_connect.uow(write=False) as stores:
        assert stores.keys.get(issued.key.id).last_used_at == clock.now()  # type: ignore[union-attr]


def test_a_burst_of_requests_writes_the_key_once(clock: ManualClock) -> None:
    from connect.bootstrap import bootstrap
    from connect.config import Config
    from connect.testing import FixedEntropy, Sha256Hasher

    uow = CountingUnitOfWork()
    connect = bootstrap(
        Config(db=":memory:"), uow, clock=clock, entropy=FixedEntropy(1), hasher=Sha256Hasher()
    )
    token = connect.keys.create(
        name="ci", scopes=frozenset({Scope.SUBMISSIONS_READ}), created_by="t"
    ).token
    before = uow.writes
    for _ in range(50):
        connect.keys.authenticate(token)
        clock.advance(1)  # 50 requests over 50 seconds
    assert uow.writes - before == 1
    connect.close()
