"""The audit log: one entry per ``/api/v1`` request, never a secret."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from attrs import frozen

UNMATCHED: Final = "<unmatched>"
_CONVERTER = re.compile(r"\{(\w+):[^{}]*\}")


@frozen
class AuditEntry:
    """What one request did. ``endpoint`` is the route template
    (``/api/v1/submissions/{id}``), never the raw URL or its query."""

    api_key_id: int | None
    endpoint: str
    method: str
    status_code: int
    ip_address: str | None
    duration_ms: float
    created_at: datetime


@frozen
class AuditRecord:
    """A stored entry, with its id (the order it was written in)."""

    id: int
    entry: AuditEntry
    key_id: str | None = None


def route_template(uri_template: str | None) -> str:
    """The template without field converters: ``{id:int(min=1)}`` becomes ``{id}``.

    ``None`` (no route matched) becomes ``<unmatched>``: an unrouted path is not
    recorded, since it is raw client input.
    """
    if not uri_template:
        return UNMATCHED
    return _CONVERTER.sub(r"{\1}", uri_template)
