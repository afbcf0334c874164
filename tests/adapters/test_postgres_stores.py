"""PostgreSQL store behaviour the contract suites do not reach: exports streamed in
batches, and audit entries holding a character PostgreSQL text cannot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres import submissions as postgres_submissions
from connect.domain.audit import AuditEntry
from connect.domain.mode import Mode
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import NewSubmission, Status

T0 = datetime(2026, 2, 6, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def postgres(postgres_url: str) -> Iterator[PostgresUnitOfWork]:
    uow = PostgresUnitOfWork(postgres_url)
    uow.migrate()
    yield uow
    uow.close()


def talk(n: int, mode: Mode = Mode.LIVE) -> NewSubmission:
    return NewSubmission(
        speaker_name=f"Speaker {n}",
        talk_context="Rust",
        is_on_behalf=False,
        submitter_name=None,
        mode=mode,
        created_at=T0 + timedelta(minutes=n),
    )


def test_a_stream_longer_than_a_batch_yields_every_matching_row_once_oldest_first(
    postgres: PostgresUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_submissions, "STREAM_BATCH", 3)
    with postgres() as stores:
        added = [
            stores.submissions.add(talk(n, Mode.LIVE if n % 4 else Mode.TEST)) for n in range(14)
        ]
    live = [s.id for s in added if s.mode is Mode.LIVE]
    since = T0 + timedelta(minutes=2)
    with postgres(write=False) as stores:
        everything = [s.id for s in stores.submissions.stream(SubmissionQuery(Mode.LIVE))]
        recent = [
            s.id
            for s in stores.submissions.stream(
                SubmissionQuery(Mode.LIVE, frozenset({Status.PENDING}), since=since)
            )
        ]
        rows = stores.submissions.stream(SubmissionQuery(Mode.LIVE))
        first = next(rows)
        rows.close()  # type: ignore[attr-defined]
        # The connection is free again: the next statement runs.
        assert stores.submissions.get(first.id, Mode.LIVE) == first
    assert everything == live
    assert recent == [s.id for s in added if s.mode is Mode.LIVE and s.created_at >= since]


def test_an_audit_entry_with_a_nul_character_is_kept_with_a_visible_stand_in(
    postgres: PostgresUnitOfWork,
) -> None:
    entries = [
        AuditEntry(None, "/api/v1/submissions/{id}", "GET", 404, "192.0.2.1\x00", 1.5, T0),
        AuditEntry(None, "/api/v1/submissions", "GET", 200, "192.0.2.1", 2.0, T0),
    ]
    with postgres() as stores:
        stores.audit.append(entries)
    with postgres(write=False) as stores:
        records = stores.audit.list(limit=10)
    assert [r.entry.ip_address for r in reversed(records)] == [
        "192.0.2.1\N{REPLACEMENT CHARACTER}",
        "192.0.2.1",
    ]
    assert records[0].id > records[1].id
