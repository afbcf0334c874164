"""Rows contract tests need as context: submissions through the port; webhooks and
deliveries (which the guard-rails helper only reads) the way each adapter stores them,
straight into memory state, or with SQL into the file or the PostgreSQL database."""

from __future__ import annotations

from datetime import UTC, datetime

from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.domain.deliveries import Delivery, DeliveryStatus
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.submissions import NewSubmission
from connect.domain.webhooks import Webhook
from connect.ports.unit_of_work import UnitOfWork

T0 = datetime(2026, 2, 6, 12, 0, 0, tzinfo=UTC)


def add_submission(uow: UnitOfWork, speaker: str = "Ann", at: datetime = T0) -> int:
    with uow() as stores:
        return stores.submissions.add(
            NewSubmission(
                speaker_name=speaker,
                talk_context="Async Rust",
                is_on_behalf=False,
                submitter_name=None,
                mode=Mode.LIVE,
                created_at=at,
            )
        ).id


def add_webhook(uow: UnitOfWork, mode: Mode = Mode.LIVE) -> int:
    if isinstance(uow, MemoryUnitOfWork):
        id = uow.state.next_id("webhooks")
        uow.state.webhooks[id] = Webhook(
            id=id,
            url="https://example.com/hook",
            events=frozenset({EventType.SUBMISSION_CREATED}),
            secret="whsec_x",
            api_key_id=None,
            mode=mode,
            created_at=T0,
        )
        return id
    if isinstance(uow, PostgresUnitOfWork):
        with uow.connection() as conn:
            row = conn.execute(
                """INSERT INTO webhooks_1 (url, events, secret, created_at, mode)
                VALUES (%s, %s, %s, %s, %s) RETURNING id""",
                ["https://example.com/hook", '["submission.created"]', "whsec_x", T0, mode.value],
            ).fetchone()
            assert row is not None
            return int(row[0])
    assert isinstance(uow, SqliteUnitOfWork)
    db = uow.database()
    cursor = db.execute(
        "INSERT INTO webhooks_1 (url, events, secret, created_at, mode) VALUES (?, ?, ?, ?, ?)",
        [
            "https://example.com/hook",
            '["submission.created"]',
            "whsec_x",
            "2026-02-06T12:00:00Z",
            mode.value,
        ],
    )
    return int(cursor.lastrowid or 0)


def add_delivery(uow: UnitOfWork, webhook_id: int, status: DeliveryStatus) -> None:
    if isinstance(uow, MemoryUnitOfWork):
        id = uow.state.next_id("deliveries")
        uow.state.deliveries[id] = Delivery(
            id=id,
            webhook_id=webhook_id,
            event_id=f"evt_{id}",
            event=EventType.SUBMISSION_CREATED,
            payload=b"{}",
            status=status,
            attempt_count=1,
            next_attempt_at=None,
            created_at=T0,
            updated_at=T0,
        )
        return
    if isinstance(uow, PostgresUnitOfWork):
        with uow.connection() as conn:
            conn.execute(
                """INSERT INTO webhook_deliveries_1 (webhook_id, event_id, event, payload,
                    status, created_at, updated_at)
                VALUES (%s, %s, 'submission.created', '{}', %s, %s, %s)""",
                [webhook_id, f"evt_{status}", status.value, T0, T0],
            )
        return
    assert isinstance(uow, SqliteUnitOfWork)
    uow.database().execute(
        """INSERT INTO webhook_deliveries_1 (webhook_id, event_id, event, payload, status,
            created_at, updated_at) VALUES (?, ?, 'submission.created', '{}', ?, ?, ?)""",
        [webhook_id, f"evt_{status}", status.value, "2026-02-06T12:00:00Z", "2026-02-06T12:00:00Z"],
    )
