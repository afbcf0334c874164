"""Webhooks in SQLite (``webhooks_1``)."""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from connect.adapters.sql.dialect import Cursor
from connect.adapters.sql.webhooks import SqlWebhookStore
from connect.adapters.sqlite.rows import SQLITE, instant
from connect.adapters.stored_secrets import TABLE, secret_context
from connect.domain.errors import NotFound
from connect.domain.webhooks import NewWebhook, Webhook, sorted_events
from connect.ports.secrets import SecretBox


class SqliteWebhookStore(SqlWebhookStore):
    def __init__(self, db: sqlite_utils.Database, box: SecretBox | None = None) -> None:
        super().__init__(
            db.execute,
            SQLITE,
            box,
            subscribed=f"EXISTS (SELECT 1 FROM json_each({TABLE}.events) WHERE value = ?)",
            unit_of_work="SqliteUnitOfWork",
        )

    def add(self, new: NewWebhook) -> Webhook:
        # NOTE: the sealed secret is bound to the row id, known only after the INSERT;
        # a savepoint makes the insert and the sealing one step even outside a
        # transaction, so no row ever holds the placeholder, nor the secret in clear.
        self._run("SAVEPOINT add_webhook")
        try:
            try:
                cursor = self._insert(new)
            except sqlite3.IntegrityError as e:
                if "FOREIGN KEY" not in str(e):
                    raise
                raise NotFound(f"no API key with id {new.api_key_id} to own the webhook") from e
            (id,) = cursor.fetchone()
            self._run(
                f"UPDATE {TABLE} SET secret = ? WHERE id = ?",
                [self._box.seal(new.secret, secret_context("secret", id)), id],
            )
        except BaseException:
            self._run("ROLLBACK TO add_webhook")
            self._run("RELEASE add_webhook")
            raise
        self._run("RELEASE add_webhook")
        return Webhook.from_new(new, id)

    def _insert(self, new: NewWebhook) -> Cursor:
        return self._run(
            f"""INSERT INTO {TABLE} (url, events, secret, api_key_id, created_at, mode)
            VALUES (?, ?, '', ?, ?, ?) RETURNING id""",
            [
                new.url,
                json.dumps(sorted_events(new.events)),
                new.api_key_id,
                instant(new.created_at),
                new.mode.value,
            ],
        )
