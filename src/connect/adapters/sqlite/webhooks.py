"""Webhooks in ``webhooks_1``; their secrets (current and previous) sealed by a
``SecretBox``, bound to their row and column (``webhooks_1.secret:<id>``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from connect.adapters.sqlite.rows import instant, moment
from connect.adapters.stored_secrets import TABLE, NoSecretBox, secret_context
from connect.domain.errors import NotFound
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.time import parse_instant
from connect.domain.webhooks import NewWebhook, Webhook, sorted_events
from connect.ports.secrets import SecretBox


def webhook_from_row(row: dict[str, Any], box: SecretBox) -> Webhook:
    previous = row["previous_secret"]
    return Webhook(
        id=row["id"],
        url=row["url"],
        events=frozenset(EventType(e) for e in json.loads(row["events"])),
        secret=box.open(row["secret"], secret_context("secret", row["id"])),
        api_key_id=row["api_key_id"],
        mode=Mode(row["mode"]),
        created_at=parse_instant(row["created_at"]),
        active=bool(row["active"]),
        failure_count=row["failure_count"],
        disabled_reason=row["disabled_reason"],
        disabled_at=moment(row["disabled_at"]),
        previous_secret=(
            box.open(previous, secret_context("previous_secret", row["id"])) if previous else None
        ),
        previous_secret_expires_at=moment(row["previous_secret_expires_at"]),
    )


class SqliteWebhookStore:
    def __init__(self, db: sqlite_utils.Database, box: SecretBox | None = None) -> None:
        self._db = db
        self._box: SecretBox = box if box is not None else NoSecretBox("SqliteUnitOfWork")

    def add(self, new: NewWebhook) -> Webhook:
        # NOTE: the sealed secret is bound to the row id, known only after the INSERT;
        # a savepoint makes the insert and the sealing one step even outside a
        # transaction, so no row ever holds the placeholder, nor the secret in clear.
        self._db.execute("SAVEPOINT add_webhook")
        try:
            try:
                cursor = self._insert(new)
            except sqlite3.IntegrityError as e:
                if "FOREIGN KEY" not in str(e):
                    raise
                raise NotFound(f"no API key with id {new.api_key_id} to own the webhook") from e
            (id,) = cursor.fetchone()
            self._db.execute(
                f"UPDATE {TABLE} SET secret = ? WHERE id = ?",
                [self._box.seal(new.secret, secret_context("secret", id)), id],
            )
        except BaseException:
            self._db.execute("ROLLBACK TO add_webhook")
            self._db.execute("RELEASE add_webhook")
            raise
        self._db.execute("RELEASE add_webhook")
        return Webhook.from_new(new, id)

    def _insert(self, new: NewWebhook) -> sqlite3.Cursor:
        return self._db.execute(
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

    def _row(self, row: dict[str, Any]) -> Webhook:
        return webhook_from_row(row, self._box)

    def get(self, id: int, mode: Mode | None = None) -> Webhook | None:
        sql = f"SELECT * FROM {TABLE} WHERE id = ?"
        params: list[object] = [id]
        if mode is not None:
            sql, params = sql + " AND mode = ?", [id, mode.value]
        rows = list(self._db.query(sql, params))
        return self._row(rows[0]) if rows else None

    def list(
        self, mode: Mode, *, owner: int | None, limit: int, before: int | None = None
    ) -> Sequence[Webhook]:
        where: list[str] = ["mode = ?"]
        params: list[object] = [mode.value]
        if owner is not None:
            where.append("api_key_id = ?")
            params.append(owner)
        if before is not None:
            where.append("id < ?")
            params.append(before)
        sql = f"SELECT * FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?"
        return [self._row(r) for r in self._db.query(sql, [*params, limit])]

    def save(self, webhook: Webhook) -> None:
        self._db.execute(
            f"""UPDATE {TABLE} SET url = ?, events = ?, secret = ?, api_key_id = ?, active = ?,
                failure_count = ?, disabled_reason = ?, disabled_at = ?, previous_secret = ?,
                previous_secret_expires_at = ?
            WHERE id = ?""",
            [
                webhook.url,
                json.dumps(sorted_events(webhook.events)),
                self._box.seal(webhook.secret, secret_context("secret", webhook.id)),
                webhook.api_key_id,
                int(webhook.active),
                webhook.failure_count,
                webhook.disabled_reason,
                instant(webhook.disabled_at),
                (
                    self._box.seal(
                        webhook.previous_secret, secret_context("previous_secret", webhook.id)
                    )
                    if webhook.previous_secret
                    else None
                ),
                instant(webhook.previous_secret_expires_at),
                webhook.id,
            ],
        )

    def delete(self, id: int) -> None:
        # NOTE: foreign keys cascade to deliveries and their attempts.
        self._db.execute(f"DELETE FROM {TABLE} WHERE id = ?", [id])

    def subscribed(self, mode: Mode, event: EventType) -> Sequence[Webhook]:
        sql = f"""SELECT * FROM {TABLE} WHERE mode = ?
            AND EXISTS (SELECT 1 FROM json_each({TABLE}.events) WHERE value = ?) ORDER BY id"""
        return [self._row(r) for r in self._db.query(sql, [mode.value, event.value])]

    def owned_by(self, key: int) -> Sequence[Webhook]:
        sql = f"SELECT * FROM {TABLE} WHERE api_key_id = ? ORDER BY id"
        return [self._row(r) for r in self._db.query(sql, [key])]

    def transfer(self, from_key: int, to_key: int) -> int:
        cursor = self._db.execute(
            f"UPDATE {TABLE} SET api_key_id = ? WHERE api_key_id = ?", [to_key, from_key]
        )
        return int(cursor.rowcount)
