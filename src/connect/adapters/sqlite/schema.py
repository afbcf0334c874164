"""Versioned schema migrations, tracked with ``PRAGMA user_version``.

Table names keep the seed's (``talk_submissions_3``, ``api_keys_1``, ...). Each
migration runs in its own transaction together with the version bump, so a crash
leaves the file at the previous version, never half-way.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from connect.domain.errors import SchemaTooNew
from connect.domain.representation import DOCUMENT_ATTRIBUTES, value_type

_V1_SUBMISSIONS_AND_KEYS = """
        CREATE TABLE IF NOT EXISTS talk_submissions_3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            speaker_name TEXT NOT NULL,
            talk_context TEXT NOT NULL,
            is_on_behalf INTEGER NOT NULL DEFAULT 0,
            submitter_name TEXT,
            discord_channel_id TEXT,
            discord_invite_link TEXT,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            scheduled_date TEXT,
            updated_at TEXT NOT NULL,
            mode TEXT NOT NULL DEFAULT 'live',
            schedule_sequence INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS talk_submissions_3_mode_id
            ON talk_submissions_3 (mode, id);
        CREATE INDEX IF NOT EXISTS talk_submissions_3_mode_scheduled
            ON talk_submissions_3 (mode, scheduled_date) WHERE scheduled_date IS NOT NULL;

        CREATE TABLE IF NOT EXISTS api_keys_1 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key_id TEXT UNIQUE NOT NULL,
            key_hash TEXT NOT NULL,
            name TEXT NOT NULL,
            scopes TEXT NOT NULL,
            created_by TEXT NOT NULL,
            expires_at TEXT,
            last_used_at TEXT,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            mode TEXT NOT NULL DEFAULT 'live'
        );
"""


_V2_WEBHOOKS_AND_DELIVERIES = """
        CREATE TABLE IF NOT EXISTS webhooks_1 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL,
            events TEXT NOT NULL,
            secret TEXT NOT NULL,
            api_key_id INTEGER REFERENCES api_keys_1(id),
            active INTEGER NOT NULL DEFAULT 1,
            failure_count INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            previous_secret TEXT,
            previous_secret_expires_at TEXT,
            disabled_reason TEXT,
            disabled_at TEXT,
            mode TEXT NOT NULL DEFAULT 'live'
        );
        CREATE TABLE IF NOT EXISTS webhook_deliveries_1 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            webhook_id INTEGER NOT NULL REFERENCES webhooks_1(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempt_count INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            lease_owner TEXT,
            lease_expires_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS webhook_deliveries_1_due
            ON webhook_deliveries_1 (status, next_attempt_at);
        CREATE INDEX IF NOT EXISTS webhook_deliveries_1_webhook
            ON webhook_deliveries_1 (webhook_id, id);
        CREATE TABLE IF NOT EXISTS webhook_attempts_1 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries_1(id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            status_code INTEGER,
            duration_ms INTEGER NOT NULL,
            error TEXT,
            response_snippet TEXT,
            attempted_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS webhook_attempts_1_delivery
            ON webhook_attempts_1 (delivery_id, attempt);
"""


_V3_AUDIT_LOG = """
        CREATE TABLE IF NOT EXISTS api_audit_log_1 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            api_key_id INTEGER,
            endpoint TEXT NOT NULL,
            method TEXT NOT NULL,
            status_code INTEGER,
            ip_address TEXT,
            created_at TEXT NOT NULL,
            duration_ms REAL
        );
        CREATE INDEX IF NOT EXISTS api_audit_log_1_created ON api_audit_log_1 (created_at);
        CREATE INDEX IF NOT EXISTS api_audit_log_1_key ON api_audit_log_1 (api_key_id, id);
"""


_V4_EXPORT_INDEXES = """
        CREATE INDEX IF NOT EXISTS talk_submissions_3_mode_updated
            ON talk_submissions_3 (mode, updated_at);
"""


def _document_member(name: str, kind: type) -> str:
    # NOTE: JSON has booleans, SQLite has 0 and 1; every other column is stored in its
    # API spelling (times exactly as format_instant emits them, dates ISO, enums by value).
    if kind is bool:
        return f"'{name}', json(CASE WHEN {name} THEN 'true' ELSE 'false' END)"
    return f"'{name}', {name}"


# NOTE: generated from DOCUMENT_FIELDS, the same members in the same order as
# submission_document; tests/contract/test_submission_store.py holds the two to each
# other. The triggers of migration 5 hold this text: when a field is added to the API
# it changes (tests/adapters/test_sqlite_schema.py says so), and a new migration must
# recreate both triggers and refill the column.
_SUBMISSION_DOCUMENT = (
    "json_object(\n"
    + ",\n".join(f"    {_document_member(a.name, value_type(a))}" for a in DOCUMENT_ATTRIBUTES)
    + "\n)"
)

# Each submission's API document, rendered once per write instead of once per read
# (the list endpoint joins them; bench/api_list.py). The update trigger names every
# column but `document`, so its own UPDATE does not fire it again.
_V5_SUBMISSION_DOCUMENTS = f"""
        ALTER TABLE talk_submissions_3 ADD COLUMN document TEXT;
        UPDATE talk_submissions_3 SET document = {_SUBMISSION_DOCUMENT};
        CREATE TRIGGER talk_submissions_3_document_insert
            AFTER INSERT ON talk_submissions_3
        BEGIN
            UPDATE talk_submissions_3 SET document = {_SUBMISSION_DOCUMENT}
            WHERE id = NEW.id;
        END;
        CREATE TRIGGER talk_submissions_3_document_update
            AFTER UPDATE OF speaker_name, talk_context, is_on_behalf, submitter_name,
                discord_channel_id, discord_invite_link, status, scheduled_date, mode,
                created_at, updated_at
            ON talk_submissions_3
        BEGIN
            UPDATE talk_submissions_3 SET document = {_SUBMISSION_DOCUMENT}
            WHERE id = NEW.id;
        END;
"""


# Creations remembered for 24 h per API key and Idempotency-Key (docs/api.md).
_V6_IDEMPOTENCY_KEYS = """
        CREATE TABLE IF NOT EXISTS idempotency_keys_1 (
            api_key_id INTEGER NOT NULL REFERENCES api_keys_1(id),
            idempotency_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            submission_id INTEGER NOT NULL REFERENCES talk_submissions_3(id),
            created_at TEXT NOT NULL,
            PRIMARY KEY (api_key_id, idempotency_key)
        );
        CREATE INDEX IF NOT EXISTS idempotency_keys_1_created
            ON idempotency_keys_1 (created_at);
"""


# The event feed (docs/webhooks.md): every event in order, written by the outbox in the
# change's transaction. Events from before it are taken from the delivery payloads that
# carried them, in the order they were first enqueued. The other indexes serve the
# retention purge and erasure (docs/data.md).
_V7_EVENT_FEED = """
        CREATE TABLE IF NOT EXISTS events_1 (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT UNIQUE NOT NULL,
            type TEXT NOT NULL,
            mode TEXT NOT NULL,
            timestamp TEXT NOT NULL,
            submission_id INTEGER,
            body TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS events_1_mode_type ON events_1 (mode, type, position);
        CREATE INDEX IF NOT EXISTS events_1_submission ON events_1 (submission_id);
        CREATE INDEX IF NOT EXISTS events_1_timestamp ON events_1 (timestamp);
        INSERT INTO events_1 (id, type, mode, timestamp, submission_id, body)
            SELECT d.event_id, d.event, w.mode, d.created_at,
                json_extract(d.payload, '$.data.id'), d.payload
            FROM webhook_deliveries_1 d JOIN webhooks_1 w ON w.id = d.webhook_id
            WHERE d.event != 'webhook.test' AND json_valid(d.payload)
                AND d.id = (SELECT MIN(e.id) FROM webhook_deliveries_1 e
                            WHERE e.event_id = d.event_id)
            ORDER BY d.id;
        CREATE INDEX IF NOT EXISTS webhook_deliveries_1_event
            ON webhook_deliveries_1 (event_id);
        CREATE INDEX IF NOT EXISTS webhook_deliveries_1_updated
            ON webhook_deliveries_1 (updated_at);
        CREATE INDEX IF NOT EXISTS webhook_attempts_1_attempted
            ON webhook_attempts_1 (attempted_at) WHERE response_snippet IS NOT NULL;
"""


MIGRATIONS: dict[int, str] = {
    1: _V1_SUBMISSIONS_AND_KEYS,
    2: _V2_WEBHOOKS_AND_DELIVERIES,
    3: _V3_AUDIT_LOG,
    4: _V4_EXPORT_INDEXES,
    5: _V5_SUBMISSION_DOCUMENTS,
    6: _V6_IDEMPOTENCY_KEYS,
    7: _V7_EVENT_FEED,
}
LATEST = max(MIGRATIONS)


def current_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def statements(script: str) -> list[str]:
    """Split a script into statements, so a migration runs inside our own transaction
    (``executescript`` would commit on its own)."""
    found, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer.strip())
            buffer = ""
    return found


def migrate(db: sqlite_utils.Database, where: str = "the database") -> list[int]:
    """Bring the file to the latest version; returns the versions applied.

    Raises:
        SchemaTooNew: a newer Connect migrated the file (nothing is changed).
    """
    # NOTE: code that does not know a newer schema would write rows that release
    # cannot read (or miss its constraints); refusing is the only safe answer.
    found = current_version(db)
    if found > LATEST:
        raise SchemaTooNew(where, found, LATEST)
    applied = []
    for version in sorted(MIGRATIONS):
        # NOTE: BEGIN IMMEDIATE takes the write lock before reading user_version, so two
        # processes starting at once do not both apply the same migration.
        db.execute("BEGIN IMMEDIATE")
        try:
            if current_version(db) < version:
                for statement in statements(MIGRATIONS[version]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version:d}")
                applied.append(version)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return applied
