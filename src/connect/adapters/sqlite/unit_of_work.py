"""SQLite transactions: one connection per thread, WAL, ``BEGIN IMMEDIATE`` for writes."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from connect.adapters.sql.events import COLUMNS, INSERT, SqlEventStore
from connect.adapters.sql.metrics import SqlMetricsQueries
from connect.adapters.sql.views import SqlSubmissionViews
from connect.adapters.sqlite.audit import SqliteAuditLog
from connect.adapters.sqlite.deliveries import SqliteDeliveryStore
from connect.adapters.sqlite.idempotency import SqliteIdempotencyStore
from connect.adapters.sqlite.keys import SqliteKeyStore
from connect.adapters.sqlite.personal_data import SqlitePersonalDataStore
from connect.adapters.sqlite.rows import SQLITE
from connect.adapters.sqlite.schema import migrate
from connect.adapters.sqlite.submissions import SqliteSubmissionStore, filters
from connect.adapters.sqlite.webhooks import SqliteWebhookStore
from connect.domain.errors import StorageUnavailable
from connect.ports.secrets import SecretBox


def create_private(path: str) -> None:
    """Create the database file readable by its owner only (0600) if it is missing.

    NOTE: SQLite gives the -wal and -shm files it creates the mode of the database
    file, so they are 0600 too.
    """
    if path in ("", ":memory:") or path.startswith("file:"):
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class SqliteStores:
    def __init__(self, db: sqlite_utils.Database, box: SecretBox | None = None) -> None:
        self.db = db
        self.submissions = SqliteSubmissionStore(db)
        self.keys = SqliteKeyStore(db)
        # NOTE: the page's subquery has a LIMIT, so SQLite cannot flatten it and feeds
        # the aggregate in its ORDER BY order (a contract test checks). Its search calls
        # connect_fold, which the submission store above gave the connection.
        joined = "group_concat(document, ',')"
        self.submission_views = SqlSubmissionViews(db.execute, SQLITE, filters, joined=joined)
        self.webhooks = SqliteWebhookStore(db, box)
        self.deliveries = SqliteDeliveryStore(db)
        self.audit = SqliteAuditLog(db)
        # NOTE: '/' sorts right before '0', so the range scan is exactly the prefix.
        exports = "endpoint >= '/api/v1/exports/' AND endpoint < '/api/v1/exports0'"
        self.metrics = SqlMetricsQueries(db.execute, SQLITE, exports=exports)
        self.idempotency = SqliteIdempotencyStore(db)
        # NOTE: SQLite has one writer at a time: positions become visible in order.
        add_event = f"{INSERT} VALUES (?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
        self.events = SqlEventStore(db.execute, SQLITE, add_event)
        self.personal_data = SqlitePersonalDataStore(db)


class SqliteUnitOfWork:
    """Opens the database file lazily, one connection per thread.

    Args:
        path: the database file (created 0600 if missing).
        busy_timeout_ms: how long a writer waits for another process's lock.
        secret_box: seals webhook secrets before they are stored. Without one, storing
            or reading a webhook secret fails (it is never stored in clear).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = 5000,
        secret_box: SecretBox | None = None,
    ) -> None:
        self.path = str(path)
        self.secret_box = secret_box
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def database(self) -> sqlite_utils.Database:
        """This thread's connection (opened on first use)."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            create_private(self.path)
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
            try:
                self._configure(conn)
            except BaseException:
                conn.close()
                raise
            db = sqlite_utils.Database(conn)
            self._local.db = db
            with self._lock:
                self._opened.append(conn)
        return db

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # NOTE: deleted and overwritten content is zeroed in the file, not left in
        # free space: an erased speaker's name must not survive (docs/data.md).
        conn.execute("PRAGMA secure_delete = ON")

    def _stores(self) -> SqliteStores:
        # NOTE: the stores hold nothing but this thread's connection: made once per
        # thread, not once per transaction (the hot read paths open several).
        stores: SqliteStores | None = getattr(self._local, "stores", None)
        if stores is None:
            stores = self._local.stores = SqliteStores(self.database(), self.secret_box)
        return stores

    def migrate(self) -> list[int]:
        """Apply pending migrations, then seal any webhook secret still stored in clear
        (when there is a ``secret_box``); returns the schema versions applied.

        Raises:
            StorageUnavailable: the file cannot be created, opened or written.
            SchemaTooNew: a newer Connect migrated the file.
        """
        try:
            applied = migrate(self.database(), f"the database {self.path}")
            if self.secret_box is not None:
                with self() as stores:
                    stores.webhooks.seal_secrets()
        except (sqlite3.Error, OSError) as e:
            reason = (e.strerror if isinstance(e, OSError) else None) or str(e)
            raise StorageUnavailable(f"cannot use the database {self.path}: {reason}") from e
        return applied

    def reseal_secrets(self) -> int:
        """Re-seal every stored secret under the secret box's current key, in one
        transaction; returns how many values were written."""
        if self.secret_box is None:
            raise RuntimeError("re-sealing secrets needs a secret_box")
        with self() as stores:
            return stores.webhooks.seal_secrets(reseal=True)

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[SqliteStores]:
        stores = self._stores()
        db = stores.db
        if not write:
            # NOTE: a read-only block runs each statement in its own implicit read
            # transaction: no BEGIN/COMMIT round trips on the hot read paths. Every
            # single statement still sees one consistent snapshot.
            yield stores
            return
        # NOTE: a write transaction takes the lock up front (IMMEDIATE): a deferred one
        # that reads first and writes later can fail with SQLITE_BUSY instead of waiting.
        db.execute("BEGIN IMMEDIATE")
        try:
            yield stores
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def ping(self) -> None:
        self.database().execute("SELECT 1").fetchone()

    def forget_deleted(self) -> None:
        """Checkpoint the write-ahead log into the file and truncate it: the log still
        holds old page images (with erased values) until then. Best effort: with a
        reader in the middle of a transaction the log is truncated at a later call."""
        self.database().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def close(self) -> None:
        with self._lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
        self._local = threading.local()
