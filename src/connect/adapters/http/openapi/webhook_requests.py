"""JSON Schemas of the webhook request bodies."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.openapi.json_schema import Schema
from connect.domain.events import SUBSCRIBABLE

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


def webhook_request_schemas() -> dict[str, Schema]:
    return {
        "NewWebhook": _new_webhook(),
        "WebhookPatch": _webhook_patch(),
        "RecoveryWindow": _recovery_window(),
    }
