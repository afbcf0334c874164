"""The requests Connect sends to receivers, as OpenAPI 3.1 ``webhooks``."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.event_schemas import body_name
from connect.adapters.http.openapi.json_schema import ref
from connect.domain.event_kinds import KINDS
from connect.domain.events import EventType
from connect.domain.retry import ANSWER_WITHIN, DEFAULT_SCHEDULE
from connect.services.delivery import USER_AGENT

SIGNATURE_HEADERS: list[tuple[str, str, str]] = [
    ("webhook-id", "The event id; the same on every retry. Deduplicate on it.", "evt_8Hq2..."),
    ("webhook-timestamp", "Unix seconds of this attempt (signed).", "1764093960"),
    (
        "webhook-signature",
        'Standard Webhooks: space-separated "v1,<base64 HMAC-SHA256 of '
        '{webhook-id}.{webhook-timestamp}.{body}>", one per active secret.',
        "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
    ),
    ("X-Timestamp", "Unix seconds of this attempt (signed).", "1764093960"),
    (
        "X-Signature",
        'Comma-separated "sha256=<hex HMAC-SHA256 of {X-Timestamp}.{body}>", one per active '
        "secret.",
        "sha256=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
    ),
    ("X-Connect-Event", "The event type.", "submission.created"),
    ("X-Connect-Delivery", "The delivery id (see the delivery log).", "12"),
    ("X-Connect-Attempt", f"1 for the first attempt, up to {len(DEFAULT_SCHEDULE)}.", "1"),
    ("User-Agent", "Connect-Webhooks/<version>.", USER_AGENT),
]


def _event_request(event: EventType) -> dict[str, Any]:
    return {
        "post": {
            "operationId": f"on_{event.value.replace('.', '_')}",
            "summary": event.value,
            "description": KINDS[event].description
            + " Verify the signature over the raw body before parsing it; answer any 2xx "
            f"within {ANSWER_WITHIN} s. 3xx counts as a failure; 410 Gone disables the webhook.",
            "tags": ["Webhook events"],
            "parameters": [
                {
                    "name": name,
                    "in": "header",
                    "required": True,
                    "description": description,
                    "schema": {"type": "string"},
                    "example": example,
                }
                for name, description, example in SIGNATURE_HEADERS
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref(body_name(event))}},
            },
            "responses": {
                "2XX": {"description": "Received. Anything else is retried."},
                "410": {"description": "Gone: the webhook is disabled at once."},
            },
        }
    }


def webhooks() -> dict[str, Any]:
    return {event.value: _event_request(event) for event in EventType}
