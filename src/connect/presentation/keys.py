"""The API key documents: a key as listed, and a key with its token, shown once."""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen

from connect.domain.keys import (
    KEY_EXPIRES_AT,
    KEY_ID_LENGTH,
    KEY_NAME,
    KEY_SCOPES,
    SECRET_LENGTH,
    ApiKey,
    Scope,
)
from connect.domain.mode import Mode
from connect.domain.shapes import describe, project

_PREFIX = "^rnc_(" + "|".join(m.value for m in Mode) + ")_[0-9A-Za-z]"


@frozen
class KeyDocument:
    """An API key. The secret token is never listed; its hash never leaves."""

    id: int = field(metadata=describe("The key's number.", example=7, minimum=1))
    key_id: str = field(
        metadata=describe(
            f"Public: the mode prefix and the first {KEY_ID_LENGTH} characters of the token.",
            example="rnc_live_Ab3dE9xQ",
            pattern=f"{_PREFIX}{{{KEY_ID_LENGTH}}}$",
        )
    )
    name: str = field(metadata=KEY_NAME)
    scopes: frozenset[Scope] = field(metadata=KEY_SCOPES)
    mode: Mode
    created_by: str = field(
        metadata=describe("The key_id (or cli:user) that made it.", example="rnc_live_Org4nizr")
    )
    created_at: datetime
    expires_at: datetime | None = field(metadata=KEY_EXPIRES_AT)
    last_used_at: datetime | None = field(metadata=describe("Written at most once a minute."))
    revoked_at: datetime | None = field(
        metadata=describe("In the future during a rotation's grace period.")
    )

    @classmethod
    def of(cls, key: ApiKey) -> KeyDocument:
        return project(cls, key)


@frozen
class IssuedKeyDocument(KeyDocument):
    """A new key with its secret token: shown once, at creation or rotation."""

    token: str = field(
        metadata=describe(
            "The secret. Shown once, here; store it now.",
            example="rnc_live_Ab3dE9xQzzzzzzzzzzzzzzzz",
            pattern=f"{_PREFIX}{{{SECRET_LENGTH}}}$",
        )
    )

    @classmethod
    def issued(cls, key: ApiKey, token: str) -> IssuedKeyDocument:
        return project(cls, key, token=token)
