"""``SubmissionStore.fingerprint`` and ``stream``: the parts exports rely on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from attrs import evolve

from connect.domain.exports.fingerprint import Fingerprint
from connect.domain.mode import Mode
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import NewSubmission, Status, Submission
from connect.ports.unit_of_work import UnitOfWork

T0 = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)


def add(uow: UnitOfWork, mode: Mode = Mode.LIVE, at: datetime = T0) -> Submission:
    new = NewSubmission(
        speaker_name="Ferris",
        talk_context="Lifetimes",
        is_on_behalf=False,
        submitter_name=None,
        mode=mode,
        created_at=at,
    )
    with uow() as stores:
        return stores.submissions.add(new)


def fingerprint(uow: UnitOfWork, mode: Mode = Mode.LIVE, **filters: Any) -> Fingerprint:
    with uow(write=False) as stores:
        return stores.submissions.fingerprint(SubmissionQuery(mode, **filters))


def test_an_empty_store_has_an_empty_fingerprint(uow: UnitOfWork) -> None:
    found = fingerprint(uow)
    assert (found.count, found.last_id, found.last_updated_at) == (0, None, None)


def test_the_fingerprint_counts_only_matching_submissions_of_the_mode(uow: UnitOfWork) -> None:
    first = add(uow, at=T0)
    second = add(uow, at=T0 + timedelta(days=2))
    add(uow, Mode.TEST, at=T0 + timedelta(days=5))
    everything = fingerprint(uow)
    assert (everything.count, everything.last_id) == (2, second.id)
    assert everything.last_updated_at == T0 + timedelta(days=2)
    recent = fingerprint(uow, since=T0 + timedelta(days=1))
    assert (recent.count, recent.last_id) == (1, second.id)
    scheduled = fingerprint(uow, statuses=frozenset({Status.SCHEDULED}))
    assert (scheduled.count, scheduled.last_id) == (0, None)
    assert first.id < second.id


def test_an_update_moves_the_fingerprint_even_when_the_row_leaves_the_filter(
    uow: UnitOfWork,
) -> None:
    talk = add(uow)
    pending = frozenset({Status.PENDING})
    before = fingerprint(uow, statuses=pending)
    with uow() as stores:
        stores.submissions.save(
            evolve(talk, status=Status.DECLINED, updated_at=T0 + timedelta(seconds=1))
        )
    after = fingerprint(uow, statuses=pending)
    assert after != before
    assert after.last_updated_at == T0 + timedelta(seconds=1)


def test_stream_yields_matching_submissions_oldest_first(uow: UnitOfWork) -> None:
    ids = [add(uow, at=T0 + timedelta(minutes=i)).id for i in range(5)]
    add(uow, Mode.TEST)
    with uow() as stores:
        talk = stores.submissions.get(ids[1], Mode.LIVE)
        assert talk is not None
        stores.submissions.save(
            evolve(
                talk,
                status=Status.SCHEDULED,
                scheduled_date=date(2026, 3, 18),
                schedule_sequence=2,
                submitter_name="Friend",
                is_on_behalf=True,
                updated_at=T0 + timedelta(hours=1),
            )
        )
    with uow(write=False) as stores:
        full = list(stores.submissions.stream(SubmissionQuery(Mode.LIVE)))
        assert full == [stores.submissions.get(id, Mode.LIVE) for id in ids]
        streamed = [s.id for s in full]
        recent = [
            s.id
            for s in stores.submissions.stream(
                SubmissionQuery(Mode.LIVE, since=T0 + timedelta(minutes=3))
            )
        ]
    assert streamed == ids
    assert recent == ids[3:]


def test_a_stream_closed_half_way_leaves_storage_usable(uow: UnitOfWork) -> None:
    for _ in range(3):
        add(uow)
    with uow(write=False) as stores:
        rows = stores.submissions.stream(SubmissionQuery(Mode.LIVE))
        next(rows)
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    added = add(uow)
    with uow(write=False) as stores:
        assert stores.submissions.get(added.id, Mode.LIVE) == added
