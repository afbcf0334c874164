"""JSON Schemas of events: webhook bodies, the event feed's page and the catalog."""

from __future__ import annotations

from connect.adapters.http.openapi.examples import (
    EVENT_EXAMPLE,
    OPERATIONAL_EVENT_EXAMPLE,
    SUBMISSION_DELETED_EXAMPLE,
)
from connect.adapters.http.openapi.json_schema import INSTANT, Schema, nullable, ref
from connect.domain.events import OPERATIONAL, EventType
from connect.domain.feed import FEED_TYPES


def _event() -> Schema:
    return {
        "type": "object",
        "description": "The body of every webhook request: the exact signed bytes.",
        "required": ["id", "event", "timestamp", "data"],
        "properties": {
            "id": {"type": "string", "pattern": "^evt_[0-9A-Za-z]{24}$"},
            "event": {
                "type": "string",
                "enum": [e.value for e in EventType if e is not EventType.SUBMISSION_DELETED],
            },
            "timestamp": INSTANT,
            "data": {
                "anyOf": [ref("Submission"), ref("ErasedSubmission")],
                "description": "The submission as it was when the event happened; its id "
                "alone once the submission was erased (a stored copy is scrubbed).",
            },
        },
        "examples": [EVENT_EXAMPLE],
    }


def _erased_submission() -> Schema:
    return {
        "type": "object",
        "description": "What is left of an erased submission: its id.",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {"id": {"type": "integer", "minimum": 1}},
        "examples": [{"id": 42}],
    }


def _submission_deleted_event() -> Schema:
    return {
        "type": "object",
        "description": "Sent after a submission was erased: data holds its id alone (the "
        "rest was personal data). Forget what you stored of it.",
        "required": ["id", "event", "timestamp", "data"],
        "properties": {
            "id": {"type": "string", "pattern": "^evt_[0-9A-Za-z]{24}$"},
            "event": {"const": EventType.SUBMISSION_DELETED.value},
            "timestamp": INSTANT,
            "data": ref("ErasedSubmission"),
        },
        "examples": [SUBMISSION_DELETED_EXAMPLE],
    }


def _operational_event() -> Schema:
    count = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "description": "The body of an operational event: Connect's news about the health "
        "of one webhook (never sent to that webhook itself).",
        "required": ["id", "event", "timestamp", "data"],
        "properties": {
            "id": {"type": "string", "pattern": "^evt_[0-9A-Za-z]{24}$"},
            "event": {"type": "string", "enum": sorted(e.value for e in OPERATIONAL)},
            "timestamp": INSTANT,
            "data": {
                "type": "object",
                "required": ["webhook", "delivery", "attempt"],
                "properties": {
                    "reason": {"type": "string", "description": "webhook.disabled only."},
                    "webhook": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "url": {"type": "string"},
                            "active": {"type": "boolean"},
                            "failure_count": count,
                            "disabled_reason": nullable({"type": "string"}),
                            "disabled_at": nullable(INSTANT),
                        },
                    },
                    "delivery": {
                        "type": "object",
                        "description": "The delivery whose attempt raised the event.",
                        "properties": {
                            "id": {"type": "integer"},
                            "event": {"type": "string"},
                            "event_id": {"type": "string"},
                            "status": {"type": "string"},
                            "attempt_count": count,
                        },
                    },
                    "attempt": {
                        "type": "object",
                        "properties": {
                            "attempt": count,
                            "status_code": nullable({"type": "integer"}),
                            "error": nullable({"type": "string"}),
                            "duration_ms": count,
                            "attempted_at": INSTANT,
                        },
                    },
                },
            },
        },
        "examples": [OPERATIONAL_EVENT_EXAMPLE],
    }


def _feed_schemas() -> dict[str, Schema]:
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


def event_schemas() -> dict[str, Schema]:
    return {
        "Event": _event(),
        "SubmissionDeletedEvent": _submission_deleted_event(),
        "ErasedSubmission": _erased_submission(),
        "OperationalEvent": _operational_event(),
        **_feed_schemas(),
    }
