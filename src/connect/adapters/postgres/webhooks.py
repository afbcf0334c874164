"""Webhooks in ``webhooks_1``; their secrets (current and previous) sealed by a
``SecretBox``, bound to their row and column (``webhooks_1.secret:<id>``), exactly as
in the SQLite file, so a sealed value means the same in both."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

from connect.adapters.stored_secrets import TABLE, NoSecretBox, secret_context
from connect.domain.errors import NotFound
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.webhooks import NewWebhook, Webhook, sorted_events
from connect.ports.secrets import SecretBox

Connection = psycopg.Connection[tuple[Any, ...]]


def webhook_from_row(row: dict[str, Any], box: SecretBox) -> Webhook:
    previous = row["previous_secret"]
    return Webhook(
        id=row["id"],
        url=row["url"],
        events=frozenset(EventType(e) for e in json.loads(row["events"])),
        secret=box.open(row["secret"], secret_context("secret", row["id"])),
        api_key_id=row["api_key_id"],
        mode=Mode(row["mode"]),
        created_at=row["created_at"],
        active=row["active"],
        failure_count=row["failure_count"],
        disabled_reason=row["disabled_reason"],
        disabled_at=row["disabled_at"],
        previous_secret=(
            box.open(previous, secret_context("previous_secret", row["id"])) if previous else None
        ),
        previous_secret_expires_at=row["previous_secret_expires_at"],
    )


class PostgresWebhookStore:
    """Webhooks over one connection (inside the caller's transaction, if any)."""

    def __init__(self, conn: Connection, box: SecretBox | None = None) -> None:
        self._conn = conn
        self._box: SecretBox = box if box is not None else NoSecretBox("PostgresUnitOfWork")

    def _rows(self, sql: str, params: Sequence[object]) -> list[Webhook]:
        with self._conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(sql, params)
            return [webhook_from_row(r, self._box) for r in cursor.fetchall()]

    def add(self, new: NewWebhook) -> Webhook:
        # NOTE: the sealed secret is bound to the row id, so the id is drawn first and
        # the row is inserted already sealed: no row ever holds a placeholder or the
        # secret in clear. The owner is checked in the INSERT rather than left to the
        # foreign key, whose violation would abort the caller's whole transaction.
        (id,) = self._conn.execute(
            f"SELECT nextval(pg_get_serial_sequence('{TABLE}', 'id'))"
        ).fetchone() or (0,)
        inserted = self._conn.execute(
            f"""INSERT INTO {TABLE} (id, url, events, secret, api_key_id, created_at, mode)
            SELECT %(id)s, %(url)s, %(events)s, %(secret)s, %(owner)s, %(at)s, %(mode)s
            WHERE %(owner)s::bigint IS NULL
                OR EXISTS (SELECT 1 FROM api_keys_1 WHERE id = %(owner)s)
            RETURNING id""",
            {
                "id": id,
                "url": new.url,
                "events": json.dumps(sorted_events(new.events)),
                "secret": self._box.seal(new.secret, secret_context("secret", id)),
                "owner": new.api_key_id,
                "at": new.created_at,
                "mode": new.mode.value,
            },
        ).fetchone()
        if inserted is None:
            raise NotFound(f"no API key with id {new.api_key_id} to own the webhook")
        return Webhook.from_new(new, id)

    def get(self, id: int, mode: Mode | None = None) -> Webhook | None:
        sql = f"SELECT * FROM {TABLE} WHERE id = %s"
        params: list[object] = [id]
        if mode is not None:
            sql += " AND mode = %s"
            params.append(mode.value)
        found = self._rows(sql, params)
        return found[0] if found else None

    def list(
        self, mode: Mode, *, owner: int | None, limit: int, before: int | None = None
    ) -> Sequence[Webhook]:
        where: list[str] = ["mode = %s"]
        params: list[object] = [mode.value]
        if owner is not None:
            where.append("api_key_id = %s")
            params.append(owner)
        if before is not None:
            where.append("id < %s")
            params.append(before)
        sql = f"SELECT * FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT %s"
        return self._rows(sql, [*params, limit])

    def save(self, webhook: Webhook) -> None:
        previous = webhook.previous_secret
        self._conn.execute(
            f"""UPDATE {TABLE} SET url = %s, events = %s, secret = %s, api_key_id = %s,
                active = %s, failure_count = %s, disabled_reason = %s, disabled_at = %s,
                previous_secret = %s, previous_secret_expires_at = %s
            WHERE id = %s""",
            [
                webhook.url,
                json.dumps(sorted_events(webhook.events)),
                self._box.seal(webhook.secret, secret_context("secret", webhook.id)),
                webhook.api_key_id,
                webhook.active,
                webhook.failure_count,
                webhook.disabled_reason,
                webhook.disabled_at,
                (
                    self._box.seal(previous, secret_context("previous_secret", webhook.id))
                    if previous
                    else None
                ),
                webhook.previous_secret_expires_at,
                webhook.id,
            ],
        )

    def delete(self, id: int) -> None:
        # NOTE: foreign keys cascade to deliveries and their attempts.
        self._conn.execute(f"DELETE FROM {TABLE} WHERE id = %s", [id])

    def subscribed(self, mode: Mode, event: EventType) -> Sequence[Webhook]:
        sql = f"SELECT * FROM {TABLE} WHERE mode = %s AND events::jsonb ? %s ORDER BY id"
        return self._rows(sql, [mode.value, event.value])

    def owned_by(self, key: int) -> Sequence[Webhook]:
        return self._rows(f"SELECT * FROM {TABLE} WHERE api_key_id = %s ORDER BY id", [key])

    def transfer(self, from_key: int, to_key: int) -> int:
        cursor = self._conn.execute(
            f"UPDATE {TABLE} SET api_key_id = %s WHERE api_key_id = %s", [to_key, from_key]
        )
        return cursor.rowcount
