"""The event feed: every event in the order it happened, for integrations that poll
instead of receiving webhooks (a firewall, a static-site build, a spreadsheet script).

The feed holds the same events, with the same ids and bodies, that webhooks carry. A
position orders them (it only grows); a reader passes the last position it saw as the
``after`` cursor and gets what came since, oldest first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from attrs import fields, frozen

from connect.domain.errors import ValidationFailed
from connect.domain.events import (
    OPERATIONAL,
    SUBSCRIBABLE,
    ErasedSubmission,
    Event,
    EventBody,
    EventType,
)
from connect.domain.fields import suggest
from connect.domain.mode import Mode
from connect.domain.shapes import plain

#: What the feed carries: every event about submissions a webhook may subscribe to.
#: ``webhook.test`` is a sample sent to one endpoint, not something that happened; the
#: operational events are about webhooks (their URLs among them), which a
#: ``submissions:read`` key reading the feed has no business seeing.
FEED_TYPES = SUBSCRIBABLE - OPERATIONAL


@frozen
class FeedEvent:
    """One event as the feed keeps it.

    Attributes:
        position: its place among all events (larger is later).
        body: the exact JSON a webhook of its type carries.
    """

    position: int
    id: str
    type: EventType
    mode: Mode
    timestamp: datetime
    body: bytes
    submission_id: int | None = None


def subject(event: Event) -> int | None:
    """The submission an event is about, or ``None``."""
    found = event.data.get("id")
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def parse_types(text: str | None, field: str = "types") -> frozenset[EventType] | None:
    """A filter of feed event types: comma-separated names, ``None`` for all of them.

    Raises:
        ValidationFailed: on ``field``, a name that is no event type of the feed (with
            a guess).
    """
    if text is None or not text.strip():
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    allowed = sorted(t.value for t in FEED_TYPES)
    for name in names:
        if name not in allowed:
            guess = suggest(name, allowed)
            hint = f"; did you mean {guess!r}?" if guess else f"; one of {', '.join(allowed)}"
            shown = name if len(name) <= 64 else name[:64] + "..."
            raise ValidationFailed.single(field, f"{shown!r} is not an event type{hint}")
    return frozenset(EventType(n) for n in names)


def feed_etag(
    mode: Mode,
    types: Iterable[EventType] | None,
    after: int | None,
    limit: int,
    last: int | None,
) -> str:
    """The validator of one feed page: the query (mode, types, cursor, limit) and the
    newest event it could show. Events are only appended, so the page changes when a
    matching event is added, and only then: a poller repeating the same URL with
    ``If-None-Match`` gets a 304 while nothing is new."""
    chosen = ",".join(sorted(t.value for t in types)) if types else "*"
    spelled = f"feed:v1:{mode.value}:{chosen}:{after or 0}:{limit}:{last or 0}"
    return hashlib.sha256(spelled.encode()).hexdigest()[:32]


def scrub_body(body: bytes, submission_id: int) -> bytes:
    """An event body with its personal data erased: ``data`` becomes the submission's
    id alone; the id, type and timestamp stay, so receivers can still deduplicate.

    A body that is not a JSON object is replaced by ``{}`` (nothing of it is kept).
    """
    try:
        document: Any = json.loads(body)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        return b"{}"
    kept = {a.name: document[a.name] for a in fields(EventBody) if a.name in document}
    kept["data"] = plain(ErasedSubmission(submission_id))
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode()


def body_subject(body: bytes) -> int | None:
    """The submission a stored event body is about (its ``data.id``), or ``None``."""
    try:
        document: Any = json.loads(body)
    except ValueError:
        return None
    data = document.get("data") if isinstance(document, dict) else None
    found = data.get("id") if isinstance(data, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None
