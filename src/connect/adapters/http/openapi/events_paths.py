"""The event feed and the event-type catalog, as OpenAPI path items and schemas."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.json_schema import Schema, ref
from connect.adapters.http.openapi.operations import json_response, operation
from connect.domain.events import EventType
from connect.domain.feed import FEED_TYPES


def event_schemas() -> dict[str, Schema]:
    feed_types = [t.value for t in EventType if t in FEED_TYPES]
    return {
        "EventPage": {
            "type": "object",
            "required": ["data", "next_cursor", "has_more"],
            "properties": {
                "data": {
                    "type": "array",
                    "description": "Oldest first. Each item is the exact body a webhook of "
                    f"its type carries (one of: {', '.join(feed_types)}).",
                    "items": {"anyOf": [ref("Event"), ref("SubmissionDeletedEvent")]},
                },
                "next_cursor": {
                    "type": ["string", "null"],
                    "description": "Pass as ?after= next time; null only when the feed "
                    "of this mode is empty. Keep it even when data is empty.",
                },
                "has_more": {
                    "type": "boolean",
                    "description": "true: more events already wait after next_cursor.",
                },
            },
        },
        "EventTypeList": {
            "type": "object",
            "required": ["data", "next_cursor"],
            "properties": {
                "data": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "type",
                            "description",
                            "subscribable",
                            "in_feed",
                            "schema",
                            "example",
                        ],
                        "properties": {
                            "type": {"type": "string", "enum": [t.value for t in EventType]},
                            "description": {"type": "string"},
                            "subscribable": {
                                "type": "boolean",
                                "description": "A webhook may subscribe to it.",
                            },
                            "in_feed": {"type": "boolean", "description": "/api/v1/events has it."},
                            "schema": {
                                "type": "object",
                                "description": "The body's JSON Schema (2020-12), standalone: "
                                "the same schema this document's webhooks section uses.",
                            },
                            "example": {"type": "object"},
                        },
                    },
                },
                "next_cursor": {"type": "null"},
            },
        },
    }


def event_paths() -> dict[str, Any]:
    return {
        "/api/v1/events": {
            "get": operation(
                "listEvents",
                "The event feed",
                tag="Events",
                description="Every event of the key's mode in the order it happened, oldest "
                "first, with the id and body its webhooks carry: the fallback for a tool that "
                "cannot receive webhooks. Poll with ?after=<next_cursor> and If-None-Match; "
                "304 while nothing is new. Events are kept CONNECT_RETENTION_DAYS days, and "
                "longer while a delivery of them is still to be attempted.",
                parameters=["limit", "after", "types", "feedIfNoneMatch"],
                responses={
                    200: json_response("A page.", "EventPage", headers=["ETag", "Link"]),
                    304: {"description": "Nothing new since the ETag you sent."},
                },
                problems=[422],
            )
        },
        "/api/v1/event-types": {
            "get": operation(
                "listEventTypes",
                "The event types",
                tag="Events",
                description="Public reference data: each event type with its description, "
                "the JSON Schema of its body and an example body.",
                responses={200: json_response("Every event type.", "EventTypeList")},
                rate_limited=False,
            )
        },
    }
