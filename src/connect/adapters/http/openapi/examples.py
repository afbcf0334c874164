"""Example values shown in the OpenAPI document and the docs page."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.openapi.documents import WALKER
from connect.adapters.http.openapi.json_schema import ref

# NOTE: made of the Submission fields' examples, as its component's example is.
SUBMISSION_EXAMPLE: Final = WALKER.example(ref("Submission"))

EVENT_EXAMPLE: Final = {
    "id": "evt_8Hq2LmZ0pR4sT6vW1xY3aB5c",
    "event": "submission.created",
    "timestamp": "2026-11-25T18:06:00Z",
    "data": SUBMISSION_EXAMPLE,
}

SUBMISSION_DELETED_EXAMPLE: Final = {
    "id": "evt_3kLm9QpR2sT4vW6xY8zA0bC1",
    "event": "submission.deleted",
    "timestamp": "2026-11-26T09:12:00Z",
    "data": {"id": 42},
}

OPERATIONAL_EVENT_EXAMPLE: Final = {
    "id": "evt_5nPq7RsT9uV1wX3yZ5aB7cD9",
    "event": "webhook.failing",
    "timestamp": "2026-11-26T10:00:05Z",
    "data": {
        "webhook": {
            "id": 3,
            "url": "https://hooks.example.org/connect",
            "active": True,
            "failure_count": 5,
            "disabled_reason": None,
            "disabled_at": None,
        },
        "delivery": {
            "id": 118,
            "event": "submission.created",
            "event_id": "evt_8Hq2LmZ0pR4sT6vW1xY3aB5c",
            "status": "failed",
            "attempt_count": 5,
        },
        "attempt": {
            "attempt": 5,
            "status_code": 503,
            "error": None,
            "duration_ms": 212,
            "attempted_at": "2026-11-26T10:00:05Z",
        },
    },
}
