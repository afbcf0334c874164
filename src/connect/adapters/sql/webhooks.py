"""Webhooks in ``webhooks_1``: what both SQL engines do the same way. Secrets (current
and previous) are sealed by a ``SecretBox``, bound to their row and column
(``webhooks_1.secret:<id>``), so a sealed value means the same in both."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from connect.adapters.sql.dialect import Dialect, Run, SqlStore, dicts
from connect.adapters.stored_secrets import (
    SELECT_SECRETS,
    TABLE,
    NoSecretBox,
    sealing_pass,
    secret_context,
)
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.webhooks import Webhook, sorted_events
from connect.ports.secrets import SecretBox


class SqlWebhookStore(SqlStore):
    """Webhooks over one connection; each engine adds a new one its own way.

    Args:
        subscribed: the term true when the row's ``events`` hold the one parameter.
        unit_of_work: the class a missing ``box`` is to be given to (for the message).
    """

    locking = ""
    """What a sealing pass appends to the read of the secrets to lock their rows."""

    def __init__(
        self,
        run: Run,
        dialect: Dialect,
        box: SecretBox | None,
        *,
        subscribed: str,
        unit_of_work: str,
    ) -> None:
        super().__init__(run, dialect)
        self._box: SecretBox = box if box is not None else NoSecretBox(unit_of_work)
        self._subscribed = subscribed

    def _seal(self, secret: str | None, column: str, id: int) -> str | None:
        return self._box.seal(secret, secret_context(column, id)) if secret else None

    def _open(self, sealed: str | None, column: str, id: int) -> str | None:
        return self._box.open(sealed, secret_context(column, id)) if sealed else None

    def _webhook(self, row: dict[str, Any]) -> Webhook:
        id, d = row["id"], self._dialect
        return Webhook(
            id=id,
            url=row["url"],
            events=frozenset(EventType(e) for e in json.loads(row["events"])),
            secret=self._box.open(row["secret"], secret_context("secret", id)),
            api_key_id=row["api_key_id"],
            mode=Mode(row["mode"]),
            created_at=d.read_at(row["created_at"]),
            active=bool(row["active"]),
            failure_count=row["failure_count"],
            disabled_reason=row["disabled_reason"],
            disabled_at=d.read_moment(row["disabled_at"]),
            previous_secret=self._open(row["previous_secret"], "previous_secret", id),
            previous_secret_expires_at=d.read_moment(row["previous_secret_expires_at"]),
        )

    def _webhooks(
        self, where: str, params: Sequence[object], end: str = "ORDER BY id"
    ) -> list[Webhook]:
        rows = dicts(self._run(f"SELECT * FROM {TABLE} WHERE {where} {end}", params))
        return [self._webhook(r) for r in rows]

    def get(self, id: int, mode: Mode | None = None) -> Webhook | None:
        mode_value = mode.value if mode is not None else None
        found = self._webhooks(*self._dialect.where(("id =", id), ("mode =", mode_value)))
        return found[0] if found else None

    def list(
        self, mode: Mode, *, owner: int | None, limit: int, before: int | None = None
    ) -> Sequence[Webhook]:
        where, params = self._dialect.where(
            ("mode =", mode.value), ("api_key_id =", owner), ("id <", before)
        )
        end = f"ORDER BY id DESC LIMIT {self._dialect.mark}"
        return self._webhooks(where, [*params, limit], end)

    def save(self, webhook: Webhook) -> None:
        m, d = self._dialect.mark, self._dialect
        self._run(
            f"""UPDATE {TABLE} SET url = {m}, events = {m}, secret = {m}, api_key_id = {m},
                active = {m}, failure_count = {m}, disabled_reason = {m}, disabled_at = {m},
                previous_secret = {m}, previous_secret_expires_at = {m}
            WHERE id = {m}""",
            [
                webhook.url,
                json.dumps(sorted_events(webhook.events)),
                self._box.seal(webhook.secret, secret_context("secret", webhook.id)),
                webhook.api_key_id,
                webhook.active,
                webhook.failure_count,
                webhook.disabled_reason,
                d.bind_instant(webhook.disabled_at),
                self._seal(webhook.previous_secret, "previous_secret", webhook.id),
                d.bind_instant(webhook.previous_secret_expires_at),
                webhook.id,
            ],
        )

    def delete(self, id: int) -> None:
        # NOTE: foreign keys cascade to deliveries and their attempts.
        self._run(f"DELETE FROM {TABLE} WHERE id = {self._dialect.mark}", [id])

    def subscribed(self, mode: Mode, event: EventType) -> Sequence[Webhook]:
        where = f"mode = {self._dialect.mark} AND {self._subscribed}"
        return self._webhooks(where, [mode.value, event.value])

    def owned_by(self, key: int) -> Sequence[Webhook]:
        return self._webhooks(f"api_key_id = {self._dialect.mark}", [key])

    def transfer(self, from_key: int, to_key: int) -> int:
        m = self._dialect.mark
        cursor = self._run(
            f"UPDATE {TABLE} SET api_key_id = {m} WHERE api_key_id = {m}", [to_key, from_key]
        )
        return int(cursor.rowcount)

    def seal_secrets(self, *, reseal: bool = False) -> int:
        """Seal every secret stored in clear (with ``reseal``, re-seal every one under
        the box's current key); returns how many values were written. All or nothing
        when run in a write transaction, as the units of work do.

        NOTE: not a numbered migration: it needs the key, which SQL does not have, and
        it is idempotent (a sealed value is left alone), so it runs at every migrate.

        Raises:
            SecretUnreadable: a sealed value does not open.
        """
        rows = self._run(f"{SELECT_SECRETS} ORDER BY id{self.locking}", []).fetchall()
        writes = sealing_pass(rows, self._box, reseal=reseal)
        m = self._dialect.mark
        for column, sealed, id in writes:
            self._run(f"UPDATE {TABLE} SET {column} = {m} WHERE id = {m}", [sealed, id])
        return len(writes)
