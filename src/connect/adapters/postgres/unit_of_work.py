"""PostgreSQL transactions over a connection pool (psycopg 3 and ``psycopg_pool``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg_pool

from connect.adapters.postgres.audit import PostgresAuditLog
from connect.adapters.postgres.deliveries import PostgresDeliveryStore
from connect.adapters.postgres.events import PostgresEventStore
from connect.adapters.postgres.idempotency import PostgresIdempotencyStore
from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.postgres.keys import PostgresKeyStore
from connect.adapters.postgres.notifications import DeliveryListener
from connect.adapters.postgres.personal_data import PostgresPersonalDataStore
from connect.adapters.postgres.schema import migrate
from connect.adapters.postgres.submissions import PostgresSubmissionStore, filters
from connect.adapters.postgres.webhooks import PostgresWebhookStore
from connect.adapters.sql.metrics import SqlMetricsQueries
from connect.adapters.sql.views import SqlSubmissionViews
from connect.domain.errors import StorageUnavailable
from connect.ports.secrets import SecretBox

Connection = psycopg.Connection[tuple[Any, ...]]


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the PostgreSQL database"
    host, db = info.get("host", "localhost"), info.get("dbname", "")
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{host}{port}/{db}"


class PostgresStores:
    """The stores over one connection (inside one transaction for writes)."""

    def __init__(self, conn: Connection, box: SecretBox | None = None) -> None:
        self.conn = conn
        self.submissions = PostgresSubmissionStore(conn)
        self.keys = PostgresKeyStore(conn)
        # NOTE: string_agg keeps its own ORDER BY.
        joined = "string_agg(document, ',' ORDER BY id DESC)"
        self.submission_views = SqlSubmissionViews(conn.execute, POSTGRES, filters, joined=joined)
        self.webhooks = PostgresWebhookStore(conn, box)
        self.deliveries = PostgresDeliveryStore(conn)
        self.audit = PostgresAuditLog(conn)
        # NOTE: starts_with, not LIKE: the prefix holds no wildcard to escape, and
        # "/api/v1/exportsfoo" must not count.
        exports = "starts_with(endpoint, '/api/v1/exports/')"
        self.metrics = SqlMetricsQueries(conn.execute, POSTGRES, exports=exports)
        self.idempotency = PostgresIdempotencyStore(conn)
        self.events = PostgresEventStore(conn)
        self.personal_data = PostgresPersonalDataStore(conn)


def _configure(conn: Connection) -> None:
    # NOTE: instants come back as UTC datetimes whatever the server's own time zone.
    conn.execute("SET TIME ZONE 'UTC'")


class PostgresUnitOfWork:
    """Opens a pool of connections lazily, on first use.

    Args:
        url: a ``postgresql://`` URL (libpq's connection string rules).
        secret_box: seals webhook secrets before they are stored. Without one, storing
            or reading a webhook secret fails (it is never stored in clear).
        max_connections: the most connections this process holds at once.
        timeout: seconds to wait for a free connection before giving up.
    """

    def __init__(
        self,
        url: str,
        *,
        secret_box: SecretBox | None = None,
        max_connections: int = 16,
        timeout: float = 5.0,
    ) -> None:
        self.url = url
        self.secret_box = secret_box
        self.where = redacted(url)
        self._max = max(1, max_connections)
        self._timeout = timeout
        self._pool: psycopg_pool.ConnectionPool[Connection] | None = None
        self._lock = threading.Lock()

    def pool(self) -> psycopg_pool.ConnectionPool[Connection]:
        """The pool (opened on first use).

        Raises:
            StorageUnavailable: the server cannot be reached.
        """
        pool = self._pool
        if pool is not None:
            return pool
        with self._lock:
            if self._pool is None:
                pool = psycopg_pool.ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=self._max,
                    kwargs={"autocommit": True},
                    configure=_configure,
                    timeout=self._timeout,
                    open=False,
                    name="connect",
                )
                try:
                    pool.open(wait=True, timeout=self._timeout)
                except (psycopg.Error, psycopg_pool.PoolTimeout) as e:
                    pool.close()
                    raise self._unavailable(e) from e
                self._pool = pool
            return self._pool

    def _unavailable(self, error: Exception) -> StorageUnavailable:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return StorageUnavailable(f"cannot use {self.where}: {reason}")

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection of the pool, in autocommit mode, for this block.

        Raises:
            StorageUnavailable: no connection could be had in time, or the server went
                away during the block (a restart, a fail-over, the network).
        """
        try:
            cm = self.pool().connection()
            conn = cm.__enter__()
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as e:
            raise self._unavailable(e) from e
        try:
            yield conn
        except psycopg.OperationalError as e:
            # NOTE: the pool drops a broken connection when it comes back, so the next
            # block gets a fresh one; this one's caller gets a 503, not a 500.
            cm.__exit__(type(e), e, e.__traceback__)
            raise self._unavailable(e) from e
        except BaseException as e:
            cm.__exit__(type(e), e, e.__traceback__)
            raise
        cm.__exit__(None, None, None)

    def migrate(self) -> list[int]:
        """Apply pending migrations, then seal any webhook secret still stored in clear
        (when there is a ``secret_box``); returns the schema versions applied.

        Raises:
            StorageUnavailable: the server cannot be reached or refused.
            SchemaTooNew: a newer Connect migrated the database.
        """
        try:
            with self.connection() as conn:
                applied = migrate(conn, self.where)
            if self.secret_box is not None:
                with self() as stores:
                    stores.webhooks.seal_secrets()
            return applied
        except psycopg.Error as e:
            raise self._unavailable(e) from e

    def reseal_secrets(self) -> int:
        """Re-seal every stored secret under the secret box's current key, in one
        transaction; returns how many values were written."""
        if self.secret_box is None:
            raise RuntimeError("re-sealing secrets needs a secret_box")
        with self() as stores:
            return stores.webhooks.seal_secrets(reseal=True)

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[PostgresStores]:
        with self.connection() as conn:
            stores = PostgresStores(conn, self.secret_box)
            if not write:
                # NOTE: like SQLite's read path: each statement is its own snapshot, no
                # BEGIN/COMMIT round trips on the hot reads.
                yield stores
                return
            with conn.transaction():
                yield stores

    def listen(self, wake: Callable[[], None]) -> DeliveryListener:
        """Call ``wake`` whenever any process commits a delivery that is due (``NOTIFY
        connect_deliveries``), from a listener started now; stop it with ``stop()``."""
        return DeliveryListener(self.url, wake, where=self.where).start()

    def ping(self) -> None:
        with self.connection() as conn:
            conn.execute("SELECT 1").fetchone()

    def forget_deleted(self) -> None:
        """Vacuum the tables erasure and purges rewrite, so dead row versions (with
        erased values) are reclaimed."""
        with self.connection() as conn:
            for table in (
                "talk_submissions_3",
                "events_1",
                "webhook_deliveries_1",
                "webhook_attempts_1",
                "idempotency_keys_1",
                "api_audit_log_1",
            ):
                conn.execute(f"VACUUM {table}")

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
