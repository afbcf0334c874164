"""Webhooks in PostgreSQL (``webhooks_1``)."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.sql.webhooks import SqlWebhookStore
from connect.adapters.stored_secrets import TABLE, secret_context
from connect.domain.errors import NotFound
from connect.domain.webhooks import NewWebhook, Webhook, sorted_events
from connect.ports.secrets import SecretBox

Connection = psycopg.Connection[tuple[Any, ...]]


class PostgresWebhookStore(SqlWebhookStore):
    """Webhooks over one connection (inside the caller's transaction, if any)."""

    # NOTE: a sealing pass locks the rows, so a webhook saved meanwhile (sealed under
    # the old key by a process not restarted yet) waits instead of being overwritten.
    locking = " FOR UPDATE"

    def __init__(self, conn: Connection, box: SecretBox | None = None) -> None:
        super().__init__(
            conn.execute,
            POSTGRES,
            box,
            subscribed="events::jsonb ? %s",
            unit_of_work="PostgresUnitOfWork",
        )

    def add(self, new: NewWebhook) -> Webhook:
        # NOTE: the sealed secret is bound to the row id, so the id is drawn first and
        # the row is inserted already sealed: no row ever holds a placeholder or the
        # secret in clear. The owner is checked in the INSERT rather than left to the
        # foreign key, whose violation would abort the caller's whole transaction.
        (id,) = self._run(
            f"SELECT nextval(pg_get_serial_sequence('{TABLE}', 'id'))"
        ).fetchone() or (0,)
        inserted = self._run(
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
