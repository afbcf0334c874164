"""The catalog of event types (``GET /api/v1/event-types``), read from the OpenAPI
document's ``webhooks`` section: one source for both, nothing typed twice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from attrs import field, frozen

from connect.domain.event_kinds import KINDS
from connect.domain.events import SUBSCRIBABLE, EventType
from connect.domain.feed import FEED_TYPES
from connect.domain.shapes import describe, plain

_COMPONENTS = "#/components/schemas/"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@frozen
class EventTypeEntry:
    """One event type of the catalog."""

    type: EventType
    description: str
    subscribable: bool = field(metadata=describe("A webhook may subscribe to it."))
    in_feed: bool = field(metadata=describe("/api/v1/events has it."))
    schema: dict[str, Any] = field(
        metadata=describe(
            "The body's JSON Schema (2020-12), standalone: the same schema this "
            "document's webhooks section uses."
        )
    )
    example: dict[str, Any]


@frozen
class EventTypeList:
    """Every event type (GET /api/v1/event-types), on one page."""

    data: tuple[EventTypeEntry, ...]
    next_cursor: Literal[None]


def _relinked(value: Any, found: set[str]) -> Any:
    """``value`` with its ``$ref``s pointing into ``$defs``; what they name joins ``found``."""
    if isinstance(value, list):
        return [_relinked(v, found) for v in value]
    if not isinstance(value, dict):
        return value
    if "$ref" in value:
        found.add(value["$ref"].removeprefix(_COMPONENTS))
    return {
        k: (v.replace(_COMPONENTS, "#/$defs/") if k == "$ref" else _relinked(v, found))
        for k, v in value.items()
    }


def standalone(name: str, schemas: Mapping[str, Any]) -> dict[str, Any]:
    """The component schema ``name`` as one JSON Schema document: it and every schema
    it refers to, in ``$defs``."""
    defs: dict[str, Any] = {}
    queue = [name]
    while queue:
        if (current := queue.pop()) not in defs:
            found: set[str] = set()
            defs[current] = _relinked(schemas[current], found)
            queue.extend(found)
    return {"$schema": _DIALECT, "$ref": f"#/$defs/{name}", "$defs": dict(sorted(defs.items()))}


def event_catalog(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every event type: what it means, whether webhooks may subscribe to it and the
    feed carries it, its body's JSON Schema and an example body."""
    schemas = document["components"]["schemas"]
    return [plain(_entry(event, document["webhooks"], schemas)) for event in EventType]


def _entry(
    event: EventType, webhooks: Mapping[str, Any], schemas: Mapping[str, Any]
) -> EventTypeEntry:
    request = webhooks[event.value]["post"]["requestBody"]
    name = request["content"]["application/json"]["schema"]["$ref"].removeprefix(_COMPONENTS)
    return EventTypeEntry(
        type=event,
        description=KINDS[event].description,
        subscribable=event in SUBSCRIBABLE,
        in_feed=event in FEED_TYPES,
        schema=standalone(name, schemas),
        example={**schemas[name]["examples"][0], "event": event.value},
    )
