"""JSON Schemas of webhooks, deliveries and events."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.openapi.examples import (
    EVENT_EXAMPLE,
    OPERATIONAL_EVENT_EXAMPLE,
    SUBMISSION_DELETED_EXAMPLE,
)
from connect.adapters.http.openapi.json_schema import INSTANT, Schema, nullable, ref
from connect.domain.events import OPERATIONAL, SUBSCRIBABLE, EventType
from connect.domain.mode import Mode

_MODES: Final = [m.value for m in Mode]
_SUBSCRIBABLE: Final = sorted(e.value for e in SUBSCRIBABLE)


def _new_webhook() -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["url", "events"],
        "properties": {
            "url": {
                "type": "string",
                "format": "uri",
                "description": (
                    "https only; no user info; no localhost, loopback, private, link-local, "
                    "CGNAT, multicast or reserved address."
                ),
            },
            "events": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "enum": _SUBSCRIBABLE},
            },
        },
        "examples": [{"url": "https://bot.example.org/hooks", "events": ["submission.created"]}],
    }


def _webhook_patch() -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "events": {"type": "array", "items": {"type": "string", "enum": _SUBSCRIBABLE}},
            "active": {
                "type": "boolean",
                "description": "true re-enables a disabled webhook and resets failure_count.",
            },
            "api_key_id": {
                "type": "integer",
                "minimum": 1,
                "description": "Organizers (keys:manage) only: move the webhook to another "
                "usable key of its mode that holds webhooks:manage (for example after its "
                "owner was revoked, disabled_reason owner_revoked).",
            },
        },
        "examples": [{"active": True}, {"api_key_id": 7, "active": True}],
    }


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


def _recovery_window() -> Schema:
    when = {
        "type": "string",
        "description": "An ISO 8601 date (midnight UTC) or datetime.",
        "examples": ["2026-02-06T09:00:00Z"],
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["since"],
        "properties": {"since": when, "until": when},
        "examples": [{"since": "2026-02-06T09:00:00Z", "until": "2026-02-06T13:00:00Z"}],
    }


def webhook_schemas() -> dict[str, Schema]:
    return {
        "NewWebhook": _new_webhook(),
        "WebhookPatch": _webhook_patch(),
        "Event": _event(),
        "SubmissionDeletedEvent": _submission_deleted_event(),
        "ErasedSubmission": _erased_submission(),
        "OperationalEvent": _operational_event(),
        "RecoveryWindow": _recovery_window(),
    }
