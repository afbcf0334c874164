"""``connect migrate-data`` on a SQLite file populated through the real services, into a
real PostgreSQL database, run as an operator would."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from connect.adapters.memory import RecordingSender
from connect.adapters.memory.sender import OK
from connect.bootstrap import bootstrap, sqlite_storage
from connect.config import Config
from connect.domain.audit import AuditEntry
from connect.domain.keys import ALL_SCOPES, Principal
from connect.domain.mode import Mode
from connect.ports.sender import SendResult
from tests.adapters.test_secrets_at_rest import KEY_A
from tests.e2e.test_cli import run

HOOK = "https://hooks.example.com/in"
TABLES = (
    "api_keys_1",
    "talk_submissions_3",
    "webhooks_1",
    "webhook_deliveries_1",
    "webhook_attempts_1",
    "api_audit_log_1",
    "idempotency_keys_1",
    "events_1",
)


def populate(db: Path) -> dict[str, Any]:
    """A SQLite file with a bit of everything, made through the services; returns what
    an operator would expect to find again (tokens, secrets)."""
    config = Config(
        db=str(db), secret_key=Config.from_env({"CONNECT_SECRET_KEY": KEY_A}).secret_key
    )
    uow = sqlite_storage(config)
    uow.migrate()
    sender = RecordingSender()
    connect = bootstrap(config, uow, sender=sender)
    try:
        live = connect.keys.create(name="live", scopes=ALL_SCOPES, mode=Mode.LIVE, created_by="t")
        test = connect.keys.create(name="test", scopes=ALL_SCOPES, mode=Mode.TEST, created_by="t")
        owner, tester = Principal.of(live.key), Principal.of(test.key)
        hook = connect.webhooks.register(owner, {"url": HOOK, "events": ["submission.created"]})
        rotated = connect.webhooks.rotate_secret(owner, hook.webhook.id, 3600)
        connect.webhooks.register(tester, {"url": HOOK + "/t", "events": ["submission.created"]})
        connect.submissions.create_once(
            owner, {"speaker_name": "Émile Zola", "talk_context": "Lifetimes"}, "retry-1"
        )
        for name in ("Ann", "Bob", "Cy"):
            connect.submissions.create(owner, {"speaker_name": name, "talk_context": "Async"})
        connect.submissions.create(tester, {"speaker_name": "Tess", "talk_context": "Sandbox"})
        sender.answer(HOOK, OK, SendResult(status_code=500, duration_ms=3, response_snippet="no"))
        claimed = connect.deliveries.claim("w1", limit=3, per_webhook=3)
        for delivery in claimed[:2]:
            connect.deliveries.attempt(delivery)  # one succeeds, one fails (retried later)
        # claimed[2] stays leased by w1, as if the worker had been stopped mid-send
        start = datetime.now(UTC)
        for n in range(5):
            connect.audit.record(
                AuditEntry(live.key.id, "/api/v1/submissions", "GET", 200, None, 1.0 + n, start)
            )
        connect.audit.flush()
    finally:
        connect.close()
    return {
        "tokens": (live.token, test.token),
        "secrets": (rotated.secret, hook.secret),
        "hook": hook.webhook.id,
        "leased": claimed[2].id,
    }


def rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}


def migrate(db: Path, url: str, *extra: str, key: str = KEY_A):
    return run(
        "migrate-data",
        "--from",
        str(db),
        "--to",
        url,
        *extra,
        db=db,
        env={"CONNECT_SECRET_KEY": key},
    )


@pytest.fixture
def populated(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    db = tmp_path / "connect.db"
    return db, populate(db)


def test_every_row_is_copied_with_its_id_and_the_summary_names_each_table(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    done = migrate(db, postgres_url)
    assert done.returncode == 0, done.stderr
    expected = {t: rows(db, t) for t in TABLES}
    assert counts(postgres_url) == expected
    assert all(expected[t] > 0 for t in TABLES), expected
    for table in TABLES:
        assert table in done.stdout
    assert "CONNECT_SECRET_KEY" in done.stdout
