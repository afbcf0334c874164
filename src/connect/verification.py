"""``verify_webhook``: what a receiver calls to check a Connect webhook request.

It lives beside ``config`` (outside the layers) because it reads the clock when no
``now`` is given; the rule itself is the pure ``connect.domain.signing``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import datetime

from connect.domain.signing import DEFAULT_TOLERANCE, verify_signature


def verify_webhook(
    secret: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    body: bytes | str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: int | float | datetime | None = None,
) -> None:
    """Verify a webhook request signed by Connect; return quietly when it is genuine.

    Either header family verifies: Standard Webhooks (``webhook-id``,
    ``webhook-timestamp``, ``webhook-signature``) or ``X-Timestamp`` + ``X-Signature``.

    Args:
        secret: the webhook's ``whsec_...`` secret.
        headers: the request headers (any capitalisation), a mapping or pairs.
        body: the raw request body, exactly as received (not re-serialised JSON).
        tolerance: how far, in seconds, the signed timestamp may be from ``now``.
        now: the current time (unix seconds or an aware datetime); the system clock
            when omitted.

    Raises:
        connect.domain.signing.WebhookVerificationError: (a ``ConnectError`` and a
            ``ValueError``) with a subclass saying why: ``MissingSignature``,
            ``StaleTimestamp``, ``InvalidSignature`` or ``InvalidSecret``.
    """
    if now is None:
        moment = int(time.time())
    elif isinstance(now, datetime):
        moment = int(now.timestamp())
    else:
        moment = int(now)
    raw = body.encode() if isinstance(body, str) else bytes(body)
    verify_signature(secret, headers, raw, now=moment, tolerance=tolerance)
