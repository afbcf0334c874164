"""PostgreSQL's metrics and personal-data stores answer exactly as SQLite's over the same
rows: a SQLite file populated through the services, copied by ``migrate-data``, then
every figure, purge and erasure run on both and compared."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.adapters.crypto import KeyRing
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.personal_data import PostgresPersonalDataStore
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.bootstrap import migrate_data
from connect.config import Config
from connect.domain.mode import Mode
from tests.adapters.test_secrets_at_rest import KEY_A
from tests.e2e.test_migrate_data import populate

MODES = (None, Mode.LIVE, Mode.TEST)
EXPORTS = [
    ("/api/v1/exports/submissions.csv", "GET", 200),
    ("/api/v1/exports/schedule.ics", "GET", 304),
    ("/api/v1/exports/submissions.csv", "GET", 429),
    ("/api/v1/exports/submissions.csv", "HEAD", 200),
    ("/api/v1/exportsfoo", "GET", 200),
]


def spice(db: Path) -> None:
    """What the services make only over days: exports, given-up deliveries, a disabled
    webhook, old rows past retention."""
    old = "2020-01-01T00:00:00Z"
    with sqlite3.connect(db) as conn:
        for n, (endpoint, method, status) in enumerate(EXPORTS):
            conn.execute(
                """INSERT INTO api_audit_log_1 (api_key_id, endpoint, method, status_code,
                    created_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?)""",
                [1 + n % 2, endpoint, method, status, datetime.now(UTC).isoformat(), 7.5 * n],
            )
        conn.execute(
            "INSERT INTO api_audit_log_1 (endpoint, method, created_at) VALUES ('/x', 'GET', ?)",
            [old],
        )
        conn.execute("UPDATE webhook_deliveries_1 SET status = 'failed' WHERE id = 3")
        conn.execute(
            "UPDATE webhook_deliveries_1 SET status = 'succeeded', updated_at = ? WHERE id = 5",
            [old],
        )
        conn.execute("UPDATE webhooks_1 SET failure_count = 6 WHERE id = 1")
        conn.execute("UPDATE webhooks_1 SET active = 0 WHERE id = 2")
        conn.execute("UPDATE events_1 SET timestamp = ? WHERE position <= 2", [old])
        conn.execute("UPDATE webhook_attempts_1 SET attempted_at = ?", [old])


@pytest.fixture
def both(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Any, Any]]:
    db = tmp_path / "connect.db"
    populate(db)
    spice(db)
    config = Config.from_env({"CONNECT_SECRET_KEY": KEY_A})
    migrate_data(config, str(db), postgres_url)
    box = KeyRing((config.secret_key or b"",), "test").box()
    sqlite, postgres = SqliteUnitOfWork(db, secret_box=box), PostgresUnitOfWork(postgres_url)
    yield sqlite, postgres
    sqlite.close()
    postgres.close()


def figures(uow: Any, since: datetime) -> list[object]:
    with uow(write=False) as stores:
        m = stores.metrics
        return [
            (
                m.keys_created(mode),
                m.webhooks_registered(mode),
                m.export_downloads(since, mode),
                m.delivery_outcomes(mode),
                m.webhook_health(5, mode),
                m.deliveries_given_up(since, mode),
                m.latencies_ms(since, mode),
            )
            for mode in MODES
        ]


def test_every_metric_is_the_same_on_both_for_every_mode(both: tuple[Any, Any]) -> None:
    sqlite, postgres = both
    for since in (datetime(2019, 1, 1, tzinfo=UTC), datetime.now(UTC) - timedelta(hours=1)):
        expected = figures(sqlite, since)
        assert figures(postgres, since) == expected
    # Not a comparison of two empty answers: the figures count something.
    assert expected[0][2] == 2 and expected[0][6][0] > 5, expected


def test_the_census_and_every_purge_count_the_same_rows(both: tuple[Any, Any]) -> None:
    sqlite, postgres = both
    now = datetime.now(UTC)
    with sqlite(write=False) as s, postgres(write=False) as p:
        before, census = s.personal_data.census(), p.personal_data.census()
        assert census.bytes is not None and census.bytes > 0
        assert (census.events, census.deliveries, census.snippets, census.audit_entries) == (
            before.events,
            before.deliveries,
            before.snippets,
            before.audit_entries,
        )
        for limit in (now - timedelta(days=30), now + timedelta(days=1)):
            dry = s.personal_data.purge(limit, dry_run=True)
            assert p.personal_data.purge(limit, dry_run=True) == dry
    limit = now - timedelta(days=30)
    with sqlite() as s:
        purged = s.personal_data.purge(limit)
    with postgres() as p:
        assert p.personal_data.purge(limit) == purged
    assert purged.deliveries == 1 and purged.audit_entries == 1 and purged.snippets >= 1
    for table, key in (
        ("webhook_deliveries_1", "id"),
        ("events_1", "position"),
        ("api_audit_log_1", "id"),
    ):
        assert ids(postgres, table, key) == ids(sqlite, table, key)


def ids(uow: Any, table: str, key: str) -> list[int]:
    query = f"SELECT {key} FROM {table} ORDER BY {key}"
    if isinstance(uow, SqliteUnitOfWork):
        return [r[0] for r in uow.database().execute(query).fetchall()]
    with uow.connection() as conn:
        return [r[0] for r in conn.execute(query).fetchall()]


def copies(uow: Any) -> list[list[tuple[Any, ...]]]:
    """What erasure rewrites, in comparable form."""
    queries = (
        # NOTE: the copy made what was in flight pending (its lease was SQLite's).
        "SELECT id, CASE status WHEN 'in_flight' THEN 'pending' ELSE status END, payload,"
        " next_attempt_at IS NULL FROM webhook_deliveries_1 ORDER BY id",
        "SELECT id, response_snippet FROM webhook_attempts_1 ORDER BY id",
        "SELECT position, body FROM events_1 ORDER BY position",
        "SELECT id FROM talk_submissions_3 ORDER BY id",
        "SELECT submission_id FROM idempotency_keys_1",
    )
    if isinstance(uow, SqliteUnitOfWork):
        return [[tuple(r) for r in uow.database().execute(q).fetchall()] for q in queries]
    with uow.connection() as conn:
        return [[tuple(r) for r in conn.execute(q).fetchall()] for q in queries]


def test_erasing_each_submission_scrubs_the_same_copies_on_both(both: tuple[Any, Any]) -> None:
    sqlite, postgres = both
    now = datetime.now(UTC)
    assert copies(postgres) == copies(sqlite)
    erased = []
    for id, mode in ((1, Mode.LIVE), (2, Mode.LIVE), (5, Mode.LIVE), (5, Mode.TEST)):
        with sqlite() as s:
            expected = s.personal_data.erase_submission(id, mode, now)
        with postgres() as p:
            assert p.personal_data.erase_submission(id, mode, now) == expected
        erased.append(expected)
        assert copies(postgres) == copies(sqlite)
    assert erased[0].events == 1 and erased[0].payloads == 1 and erased[1].cancelled == 1, erased


payload_ids = st.integers(1, 130)
spellings = st.sampled_from(
    [
        {"separators": (",", ":")},
        {"separators": (", ", ": ")},
        {"indent": 2},
        {"ensure_ascii": True},
    ]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    id=payload_ids,
    subjects=st.lists(st.one_of(payload_ids, st.text(max_size=3), st.none()), max_size=6),
    spelling=spellings,
)
def test_erasure_finds_every_payload_about_the_submission_however_it_is_spelled(
    postgres_url: str, id: int, subjects: list[object], spelling: dict[str, Any]
) -> None:
    """The SQL pattern only narrows the scan: it must never leave out a payload whose
    ``data.id`` is the submission (other ids, ids as text, other keys named ``id``)."""
    uow = PostgresUnitOfWork(postgres_url)
    uow.migrate()
    expected = 0
    with uow.connection() as conn, conn.transaction(force_rollback=True):
        (hook,) = conn.execute(
            """INSERT INTO webhooks_1 (url, events, secret, created_at, mode)
            VALUES ('https://example.com', '[]', 'x', now(), 'live') RETURNING id"""
        ).fetchone()
        for n, subject in enumerate(subjects):
            body = {"id": f"evt_{n}", "event": "submission.created", "data": {"id": subject}}
            body["data"]["speaker_name"] = f"Ann {subject}"
            expected += subject == id
            conn.execute(
                """INSERT INTO webhook_deliveries_1 (webhook_id, event_id, event, payload,
                    status, created_at, updated_at)
                VALUES (%s, %s, 'submission.created', %s, 'succeeded', now(), now())""",
                [hook, f"evt_{n}", json.dumps(body, **spelling)],
            )
        erased = PostgresPersonalDataStore(conn).erase_submission(id, Mode.LIVE, datetime.now(UTC))
        assert erased.payloads == expected
    uow.close()
