"""Webhook secrets as both SQL engines store them: where they live, the context each
sealed value is bound to, and what a sealing pass writes back.

NOTE: one definition for SQLite and PostgreSQL: a value sealed in one must open in the
other, since ``connect migrate-data`` copies secrets sealed, as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from connect.ports.secrets import SecretBox

TABLE = "webhooks_1"
SECRET_COLUMNS = ("secret", "previous_secret")
SELECT_SECRETS = f"SELECT id, {', '.join(SECRET_COLUMNS)} FROM {TABLE}"


def secret_context(column: str, id: int) -> str:
    """What a sealed secret is bound to: its table, column and row."""
    return f"{TABLE}.{column}:{id}"


def resealed(box: SecretBox, stored: str, context: str, *, reseal: bool) -> str | None:
    """What a sealing pass writes for one stored value: the value sealed when it is in
    clear, opened and sealed again under the box's current key with ``reseal``, or
    ``None`` to leave it as it is.

    Raises:
        SecretUnreadable: with ``reseal``, a sealed value does not open.
    """
    if not box.is_sealed(stored):
        return box.seal(stored, context)
    if not reseal:
        return None
    return box.seal(box.open(stored, context), context)


def sealing_pass(
    rows: Iterable[Sequence[Any]], box: SecretBox, *, reseal: bool
) -> list[tuple[str, str, int]]:
    """What a sealing pass writes for ``rows`` (selected with ``SELECT_SECRETS``): the
    ``(column, value, id)`` of each stored value ``resealed`` changes.

    Raises:
        SecretUnreadable: with ``reseal``, a sealed value does not open.
    """
    writes = []
    for id, *values in rows:
        for column, value in zip(SECRET_COLUMNS, values, strict=True):
            sealed = (
                resealed(box, value, secret_context(column, id), reseal=reseal) if value else None
            )
            if sealed is not None:
                writes.append((column, sealed, id))
    return writes


class NoSecretBox:
    """Stands in when a unit of work was made without a ``SecretBox``: any use of a
    webhook secret fails loudly instead of storing it in clear.

    Args:
        unit_of_work: the class the message tells the caller to give a box to.
    """

    def __init__(self, unit_of_work: str) -> None:
        self._unit_of_work = unit_of_work

    def _refuse(self) -> RuntimeError:
        return RuntimeError(
            f"webhook secrets need a SecretBox: pass {self._unit_of_work}(..., secret_box=...)"
            " (Connect.open does)"
        )

    def seal(self, secret: str, context: str) -> str:
        raise self._refuse()

    def open(self, sealed: str, context: str) -> str:
        raise self._refuse()

    def is_sealed(self, stored: str) -> bool:
        raise self._refuse()
