"""``connect migrate-data`` on a SQLite file populated through the real services, into a
real PostgreSQL database, run as an operator would."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from connect.bootstrap import Connect, bootstrap, sqlite_storage
from connect.config import Config
from connect.domain.audit import AuditEntry
from connect.domain.keys import ALL_SCOPES, Principal
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration
from connect.ports.sender import SendResult
from connect.services.feed import FeedQuery
from connect.testing import OK, RecordingSender
from tests.adapters.test_secrets_at_rest import KEY_A, KEY_B
from tests.e2e.test_cli import CLI, run

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
        hook = connect.webhooks.register(
            owner, WebhookRegistration(url=HOOK, events=["submission.created"])
        )
        rotated = connect.webhooks.rotate_secret(owner, hook.webhook.id, 3600)
        connect.webhooks.register(
            tester, WebhookRegistration(url=HOOK + "/t", events=["submission.created"])
        )
        connect.submissions.create_once(
            owner, SubmissionFields(speaker_name="Émile Zola", talk_context="Lifetimes"), "retry-1"
        )
        for name in ("Ann", "Bob", "Cy"):
            connect.submissions.create(
                owner, SubmissionFields(speaker_name=name, talk_context="Async")
            )
        connect.submissions.create(
            tester, SubmissionFields(speaker_name="Tess", talk_context="Sandbox")
        )
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


def sqlite_rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def pg_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def test_hashes_sealed_secrets_positions_and_instants_arrive_as_they_were(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    assert migrate(db, postgres_url).returncode == 0
    keys = "SELECT id, key_id, key_hash, scopes FROM api_keys_1 ORDER BY id"
    assert pg_rows(postgres_url, keys) == sqlite_rows(db, keys)
    secrets = "SELECT id, secret, previous_secret FROM webhooks_1 ORDER BY id"
    assert pg_rows(postgres_url, secrets) == sqlite_rows(db, secrets)
    assert all(s.startswith("v1:") for _, s, _ in pg_rows(postgres_url, secrets))
    events = "SELECT position, id, type, body FROM events_1 ORDER BY position"
    assert pg_rows(postgres_url, events) == sqlite_rows(db, events)
    (created,) = pg_rows(postgres_url, "SELECT created_at FROM api_keys_1 WHERE id = 1")[0]
    (text,) = sqlite_rows(db, "SELECT created_at FROM api_keys_1 WHERE id = 1")[0]
    assert created == datetime.fromisoformat(text) and created.tzinfo is not None
    hooks = pg_rows(postgres_url, "SELECT active FROM webhooks_1")
    assert hooks == [(True,), (True,)]


def test_submissions_get_their_api_document_and_folded_search_text(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    assert migrate(db, postgres_url).returncode == 0
    import json

    documents = "SELECT id, document FROM talk_submissions_3 ORDER BY id"
    copied = [(id, json.loads(doc)) for id, doc in pg_rows(postgres_url, documents)]
    assert copied == [(id, json.loads(doc)) for id, doc in sqlite_rows(db, documents)]
    (search,) = pg_rows(postgres_url, "SELECT search_text FROM talk_submissions_3 WHERE id = 1")
    assert "émile zola" in search[0] and "lifetimes" in search[0]


def test_leases_are_cleared_and_what_was_in_flight_is_due_again(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, seeded = populated
    before = dict(sqlite_rows(db, "SELECT id, status FROM webhook_deliveries_1"))
    assert before[seeded["leased"]] == "in_flight"
    assert migrate(db, postgres_url).returncode == 0
    after = pg_rows(
        postgres_url,
        """SELECT id, status, lease_owner, lease_expires_at, next_attempt_at IS NOT NULL
        FROM webhook_deliveries_1""",
    )
    expected = {id: ("pending" if s == "in_flight" else s) for id, s in before.items()}
    assert {id: status for id, status, *_ in after} == expected
    assert all(owner is None and until is None for _, _, owner, until, _ in after)
    assert all(due for _, status, _, _, due in after if status == "pending")


def test_new_rows_take_ids_after_every_copied_one(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    assert migrate(db, postgres_url).returncode == 0
    with psycopg.connect(postgres_url) as conn:
        for table, column in (("api_audit_log_1", "id"), ("events_1", "position")):
            (highest,) = conn.execute(f"SELECT max({column}) FROM {table}").fetchone()
            (next_id,) = conn.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column]
            ).fetchone()
            assert next_id == highest + 1


def test_a_second_run_is_refused_naming_the_tables_and_a_forced_one_adds_nothing(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    assert migrate(db, postgres_url).returncode == 0
    before = counts(postgres_url)
    again = migrate(db, postgres_url)
    assert again.returncode == 1
    assert "already holds rows in api_keys_1, talk_submissions_3" in again.stderr
    assert "--force" in again.stderr and again.stderr.count("\n") == 1
    assert counts(postgres_url) == before
    forced = migrate(db, postgres_url, "--force")
    assert forced.returncode == 0, forced.stderr
    assert counts(postgres_url) == before
    line = next(x for x in forced.stdout.splitlines() if x.startswith("webhook_deliveries_1"))
    found = str(before["webhook_deliveries_1"])
    assert line.split()[1:] == [found, "0", found]


def test_a_forced_run_over_a_partial_copy_adds_only_the_missing_rows(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    assert migrate(db, postgres_url).returncode == 0
    before = counts(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        conn.execute("DELETE FROM api_audit_log_1 WHERE id > 2")
    forced = migrate(db, postgres_url, "--force")
    assert forced.returncode == 0, forced.stderr
    assert counts(postgres_url) == before
    line = next(x for x in forced.stdout.splitlines() if x.startswith("api_audit_log_1"))
    assert line.split()[1:] == ["5", "3", "2"]


def test_a_key_that_does_not_open_the_secrets_is_refused_before_anything_is_written(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    wrong = migrate(db, postgres_url, key=KEY_B)
    assert wrong.returncode == 1
    assert "does not open webhook 1's secret" in wrong.stderr
    assert f"{db}.key" in wrong.stderr
    tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
    assert pg_rows(postgres_url, tables) == [(0,)]


def test_without_connect_secret_key_the_operator_is_told_which_key_to_set(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECT_SECRET_KEY")}
    done = subprocess.run(
        [*CLI, "migrate-data", "--from", str(db), "--to", postgres_url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 1
    assert "set CONNECT_SECRET_KEY" in done.stderr and f"{db}.key" in done.stderr


def test_a_missing_file_is_refused_and_not_created(tmp_path: Path, postgres_url: str) -> None:
    missing = tmp_path / "nothing.db"
    done = migrate(missing, postgres_url)
    assert done.returncode == 1
    assert f"there is no SQLite database file at {missing}" in done.stderr
    assert not missing.exists() and not Path(f"{missing}.key").exists()


def test_an_unreachable_target_is_named_without_its_password_and_nothing_is_written(
    populated: tuple[Path, dict[str, Any]],
) -> None:
    db, _ = populated
    before = sqlite_rows(db, "SELECT count(*) FROM api_keys_1")
    done = migrate(db, "postgresql://postgres:sekret-pw@127.0.0.1:1/connect")
    assert done.returncode == 1
    assert "cannot use postgresql://127.0.0.1:1/connect" in done.stderr
    assert "sekret-pw" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    assert sqlite_rows(db, "SELECT count(*) FROM api_keys_1") == before
    not_a_url = migrate(db, str(db))
    assert not_a_url.returncode == 1 and "--to must be a postgresql:// URL" in not_a_url.stderr


def test_the_summary_never_prints_the_password(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, _ = populated
    with_password = postgres_url.replace("postgres@", "postgres:sekret-pw@")
    for _ in range(2):  # the copy, then the refusal
        done = migrate(db, with_password)
        assert "sekret-pw" not in done.stdout + done.stderr
        assert "127.0.0.1" in done.stdout + done.stderr


def test_connect_over_postgresql_sees_the_same_installation(
    populated: tuple[Path, dict[str, Any]], postgres_url: str
) -> None:
    db, seeded = populated
    assert migrate(db, postgres_url).returncode == 0
    due = {
        id
        for (id,) in sqlite_rows(db, "SELECT id FROM webhook_deliveries_1 WHERE attempt_count = 0")
    }
    before = Connect.open(Config.from_env({"CONNECT_DB": str(db), "CONNECT_SECRET_KEY": KEY_A}))
    after = Connect.open(Config.from_env({"CONNECT_DB": postgres_url, "CONNECT_SECRET_KEY": KEY_A}))
    try:
        owners = [after.keys.authenticate(token) for token in seeded["tokens"]]
        assert owners == [before.keys.authenticate(token) for token in seeded["tokens"]]
        hook = after.webhooks.get(owners[0], seeded["hook"])
        assert (hook.secret, hook.previous_secret) == seeded["secrets"]
        feed = FeedQuery(None, None, 100)
        for owner in owners:
            assert [e.position for e in after.feed.page(owner, feed).events] == [
                e.position for e in before.feed.page(owner, feed).events
            ]
        claimed = after.deliveries.claim("after-the-move", limit=10, per_webhook=10)
        assert {d.id for d in claimed} == due and seeded["leased"] in due
    finally:
        before.close()
        after.close()


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (
            "UPDATE api_audit_log_1 SET created_at = 'yesterday' WHERE id = 3",
            "api_audit_log_1 row id 3",
        ),
        (
            "UPDATE talk_submissions_3 SET status = 'maybe' WHERE id = 1",
            "talk_submissions_3 row id 1",
        ),
    ],
)
def test_a_row_no_release_could_have_written_is_named_and_nothing_is_copied(
    populated: tuple[Path, dict[str, Any]], postgres_url: str, edit: str, named: str
) -> None:
    db, _ = populated
    with sqlite3.connect(db) as conn:
        conn.execute(edit)
    done = migrate(db, postgres_url)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{named} cannot be copied" in done.stderr
    assert all(n == 0 for n in counts(postgres_url).values())
