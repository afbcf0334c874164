"""The PostgreSQL event feed under concurrent writers: a reader polling with ``after=``
never skips an event, though positions are drawn from a sequence before commit."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from connect.adapters.postgres import PostgresUnitOfWork
from connect.domain.events import Event, EventType
from connect.domain.mode import Mode

T0 = datetime(2026, 2, 6, 12, 0, 0, tzinfo=UTC)
WRITERS, EVENTS_EACH = 4, 8


@pytest.fixture
def postgres(postgres_url: str) -> Iterator[PostgresUnitOfWork]:
    uow = PostgresUnitOfWork(postgres_url, max_connections=WRITERS + 2)
    uow.migrate()
    yield uow
    uow.close()


def event(writer: int, n: int) -> Event:
    return Event(
        id=f"evt_{writer:012d}{n:012d}",
        type=EventType.SUBMISSION_CREATED,
        timestamp=T0,
        mode=Mode.LIVE,
        data={"id": writer * 100 + n},
    )


def test_a_reader_polling_after_its_last_position_sees_every_event_once_in_order(
    postgres: PostgresUnitOfWork,
) -> None:
    written: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def write(writer: int) -> None:
        pause = random.Random(writer)
        try:
            for n in range(EVENTS_EACH):
                with postgres() as stores:
                    added = stores.events.add(event(writer, n))
                    # Position drawn, not yet committed: other writers run meanwhile.
                    time.sleep(pause.uniform(0, 0.02))
                with lock:
                    written.append(added.id)
        except BaseException as e:  # pragma: no cover - reported below
            failures.append(e)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    seen: list[tuple[int, str]] = []
    after: int | None = None
    finished = False
    for _ in range(100_000):
        finished = not any(t.is_alive() for t in threads)
        with postgres(write=False) as stores:
            page = stores.events.page(Mode.LIVE, limit=5, after=after)
        seen.extend((e.position, e.id) for e in page)
        if page:
            after = page[-1].position
        elif finished:
            break  # every writer had committed before this empty read
        else:
            time.sleep(0.001)
    for t in threads:
        t.join(timeout=30)

    assert not failures
    assert finished and len(written) == WRITERS * EVENTS_EACH
    ids = [id for _, id in seen]
    assert len(ids) == len(set(ids)), "an event was read twice"
    assert sorted(ids) == sorted(written), "the reader skipped an event"
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
