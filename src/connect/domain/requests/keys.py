"""The bodies that create and rotate API keys (and rotate a webhook's secret)."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from attrs import field, frozen

from connect.domain.keys import (
    DEFAULT_GRACE_SECONDS,
    KEY_EXPIRES_AT,
    KEY_NAME,
    KEY_SCOPES,
    MAX_GRACE_SECONDS,
    Scope,
    parse_grace_seconds,
    parse_mode,
    parse_scopes,
)
from connect.domain.mode import Mode
from connect.domain.requests.rules import ISO_INSTANT, TEXT, rule
from connect.domain.shapes import describe

# NOTE: a body may name a scope twice and the set keeps it once: its array need not be
# unique (an answer's is).
_SCOPES_GIVEN: Final = {**KEY_SCOPES, "json_type": list[Scope]}


def _mode(value: object, _: object) -> Mode | None:
    return None if value is None else parse_mode(value)


@frozen
class KeyRequest:
    """A new API key: its name, scopes, and optionally its mode (the caller's when
    left out) and expiry."""

    name: str = field(converter=TEXT, metadata=KEY_NAME)
    scopes: frozenset[Scope] = field(
        converter=rule(lambda value, _: parse_scopes(value)), metadata=_SCOPES_GIVEN
    )
    mode: Mode | None = field(
        default=None,
        converter=rule(_mode),
        metadata=describe("live or test; the caller's mode when left out.", example="live"),
    )
    expires_at: datetime | None = field(
        default=None, converter=ISO_INSTANT, metadata=KEY_EXPIRES_AT
    )


@frozen
class SecretRotation:
    """A rotation: how long the old secret keeps working."""

    grace_seconds: int = field(
        default=DEFAULT_GRACE_SECONDS,
        converter=rule(lambda value, _: parse_grace_seconds(value)),
        metadata=describe(
            "Seconds the old secret or token keeps working (0 = stop now).",
            example=DEFAULT_GRACE_SECONDS,
            minimum=0,
            maximum=MAX_GRACE_SECONDS,
        ),
    )


@frozen
class NoFields:
    """A body that takes no fields (a test send, a redelivery): empty or ``{}``."""
