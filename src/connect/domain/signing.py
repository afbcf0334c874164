"""Signing webhook bodies: Standard Webhooks headers and the ``X-Signature`` family.

Both families sign the timestamp together with the body, so a captured request cannot
be replayed outside the tolerance window. During a secret rotation's grace period every
active secret signs, and a receiver holding either secret verifies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

from connect.domain.errors import ConnectError

SECRET_PREFIX: Final = "whsec_"  # noqa: S105 (a prefix, not a secret)
SECRET_BYTES: Final = 32
DEFAULT_TOLERANCE: Final = 300


class WebhookVerificationError(ConnectError, ValueError):
    """A webhook request could not be verified; do not trust its body."""


class MissingSignature(WebhookVerificationError):
    """Neither header family is present (or one is incomplete)."""


class InvalidSignature(WebhookVerificationError):
    """No signature matches the body under this secret."""


class StaleTimestamp(WebhookVerificationError):
    """The signed timestamp is outside the tolerance window (a replay, or a bad clock)."""


class InvalidSecret(WebhookVerificationError):
    """The secret is not a ``whsec_`` secret."""


def generate_secret(token_bytes: Callable[[int], bytes]) -> str:
    """``whsec_`` + base64 of 32 random bytes from ``token_bytes``."""
    return SECRET_PREFIX + base64.b64encode(token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a secret: the decoded bytes after ``whsec_``.

    Raises:
        InvalidSecret: not ``whsec_`` followed by base64.
    """
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise InvalidSecret("a webhook secret starts with whsec_")
    try:
        return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSecret("a webhook secret is whsec_ followed by base64") from None


def standard_signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.digest(key, signed, hashlib.sha256)).decode()


def timestamp_signature(key: bytes, timestamp: int, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">``."""
    signed = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.digest(key, signed, hashlib.sha256).hex()


def signature_headers(
    msg_id: str, timestamp: int, body: bytes, secrets: Sequence[str]
) -> dict[str, str]:
    """Both header families, one signature per active secret (newest first)."""
    keys = [secret_key(s) for s in secrets]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(standard_signature(k, msg_id, timestamp, body) for k in keys),
        "X-Timestamp": str(timestamp),
        "X-Signature": ",".join(timestamp_signature(k, timestamp, body) for k in keys),
    }


def _lower(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {str(k).lower(): str(v) for k, v in items}


def _timestamp(text: str, now: int, tolerance: int) -> int:
    try:
        timestamp = int(text.strip())
    except ValueError:
        raise StaleTimestamp("the webhook timestamp is not a number of seconds") from None
    if timestamp < now - tolerance:
        raise StaleTimestamp("the webhook timestamp is too old (a replay, or a slow clock)")
    if timestamp > now + tolerance:
        raise StaleTimestamp("the webhook timestamp is in the future (check the clocks)")
    return timestamp


def verify_signature(
    secret: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    body: bytes,
    *,
    now: int,
    tolerance: int = DEFAULT_TOLERANCE,
) -> None:
    """Check either header family against ``secret`` at unix time ``now``.

    The Standard Webhooks headers are used when present, else ``X-Timestamp`` and
    ``X-Signature``. Comparison is constant-time.

    Raises:
        InvalidSecret, MissingSignature, StaleTimestamp, InvalidSignature.
    """
    key = secret_key(secret)
    found = _lower(headers)
    if "webhook-signature" in found or "webhook-id" in found:
        msg_id = found.get("webhook-id")
        stamp = found.get("webhook-timestamp")
        if not msg_id or not stamp or not found.get("webhook-signature"):
            raise MissingSignature("webhook-id, webhook-timestamp and webhook-signature are needed")
        timestamp = _timestamp(stamp, now, tolerance)
        expected = standard_signature(key, msg_id, timestamp, body)
        presented = found["webhook-signature"].split()
    elif "x-signature" in found:
        stamp = found.get("x-timestamp")
        if not stamp:
            raise MissingSignature("X-Signature needs X-Timestamp")
        timestamp = _timestamp(stamp, now, tolerance)
        expected = timestamp_signature(key, timestamp, body)
        presented = [p.strip() for p in found["x-signature"].split(",")]
    else:
        raise MissingSignature("no webhook-signature or X-Signature header")
    # NOTE: compare every candidate (no early exit) so timing says nothing about which.
    matched = False
    for candidate in presented:
        matched |= hmac.compare_digest(candidate.encode(), expected.encode())
    if not matched:
        raise InvalidSignature("no signature matches this body and secret")
