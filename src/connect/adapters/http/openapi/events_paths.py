"""The event feed and the event-type catalog, as OpenAPI path items."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.operations import json_response, operation


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
