"""Idempotency keys: a client's retry of a create returns the first result, once.

A client sends ``Idempotency-Key: <unique value>`` with a ``POST``; the same key with
the same request within ``WINDOW`` answers with what the first request created, and
creates nothing more. The same key with a different request is an error: the client
reused a key by mistake. Keys belong to the API key that sent them.
(draft-ietf-httpapi-idempotency-key-header; Stripe's ``Idempotency-Key``.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from attrs import frozen

from connect.domain.errors import IdempotencyKeyReused, InvalidIdempotencyKey

WINDOW: Final = timedelta(hours=24)
MAX_LENGTH: Final = 255


def parse_idempotency_key(header: str) -> str:
    """The key in an ``Idempotency-Key`` header value.

    Both spellings are accepted: a bare value (as Stripe's clients send it) and the
    draft's Structured Field string (``"..."``, with ``\\"`` and ``\\\\`` escapes).

    Raises:
        InvalidIdempotencyKey: empty, longer than 255 characters, or anything but
            visible ASCII.
    """
    text = header.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = _unquote(text[1:-1])
    if not 1 <= len(text) <= MAX_LENGTH or not all("!" <= c <= "~" for c in text):
        raise InvalidIdempotencyKey(
            f"an Idempotency-Key is 1 to {MAX_LENGTH} visible ASCII characters, for example a UUID"
        )
    return text


def _unquote(inner: str) -> str:
    out, escaped = [], False
    for c in inner:
        if escaped:
            if c not in '"\\':
                raise InvalidIdempotencyKey('in a quoted Idempotency-Key only \\" and \\\\ escape')
            out.append(c)
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            raise InvalidIdempotencyKey('a quoted Idempotency-Key escapes its quotes as \\"')
        else:
            out.append(c)
    if escaped:
        raise InvalidIdempotencyKey("a quoted Idempotency-Key ends in a lone backslash")
    return "".join(out)


def request_fingerprint(fields: Mapping[str, Any]) -> str:
    """What makes two requests "the same": their JSON content, whatever the order of
    its members or its whitespace (SHA-256 of a canonical spelling). A library caller's
    values that are not JSON count by their ``str``."""
    canonical = json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def oldest_kept(now: datetime) -> datetime:
    """Records created before this are forgotten (a record exactly ``WINDOW`` old
    still answers)."""
    return now - WINDOW


@frozen
class IdempotencyRecord:
    """A remembered creation: which API key sent which idempotency key, for which
    request, and what it created."""

    api_key_id: int
    key: str
    fingerprint: str
    submission_id: int
    created_at: datetime

    def ensure_same_request(self, fingerprint: str) -> None:
        """A retry gets this record's result only if it is the same request.

        Raises:
            IdempotencyKeyReused: the key came back with a different request.
        """
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused(
                f"Idempotency-Key {self.key!r} was used for a different request; "
                "use a new key for a new request"
            )
