"""The requests Connect sends to receivers, as OpenAPI 3.1 ``webhooks``."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.json_schema import ref
from connect.domain.events import OPERATIONAL, EventType

_DESCRIPTIONS = {
    EventType.SUBMISSION_CREATED: "A submission was stored (API or speakers' form).",
    EventType.SUBMISSION_UPDATED: "A submission changed (a PATCH that changed something).",
    EventType.TALK_SCHEDULED: "A talk got a date, or its date moved.",
    EventType.WEBHOOK_TEST: "Sent by POST /api/v1/webhooks/{id}/test; data is a sample.",
    EventType.SUBMISSION_DELETED: "A submission was erased (DELETE /api/v1/submissions/{id}); "
    "data is its id alone.",
    EventType.WEBHOOK_DISABLED: "Operational: a webhook was disabled (10 consecutive "
    "failures or 410 Gone); data.reason says which.",
    EventType.WEBHOOK_FAILING: "Operational: a webhook's fifth consecutive attempt failed.",
    EventType.WEBHOOK_RECOVERED: "Operational: the first success after webhook.failing.",
    EventType.DELIVERY_EXHAUSTED: "Operational: a delivery's last attempt failed; it will not "
    "be retried (POST /api/v1/webhooks/{id}/recover queues it again).",
}
# The body schema of each event type (components/schemas); the others carry "Event".
_BODIES = {
    EventType.SUBMISSION_DELETED: "SubmissionDeletedEvent",
    **dict.fromkeys(OPERATIONAL, "OperationalEvent"),
}


def describe(event: EventType) -> str:
    """What an event type means, in one sentence (the catalog's description)."""
    return _DESCRIPTIONS[event]


def body_schema(event: EventType) -> str:
    """The name of the component schema of an event type's body."""
    return _BODIES.get(event, "Event")


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
    ("X-Connect-Attempt", "1 for the first attempt, up to 8.", "1"),
    ("User-Agent", "Connect-Webhooks/<version>.", "Connect-Webhooks/0.1.0"),
]


def _event_request(event: EventType) -> dict[str, Any]:
    return {
        "post": {
            "operationId": f"on_{event.value.replace('.', '_')}",
            "summary": event.value,
            "description": _DESCRIPTIONS[event]
            + " Verify the signature over the raw body before parsing it; answer any 2xx "
            "within 15 s. 3xx counts as a failure; 410 Gone disables the webhook.",
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
                "content": {"application/json": {"schema": ref(body_schema(event))}},
            },
            "responses": {
                "2XX": {"description": "Received. Anything else is retried."},
                "410": {"description": "Gone: the webhook is disabled at once."},
            },
        }
    }


def webhooks() -> dict[str, Any]:
    return {event.value: _event_request(event) for event in EventType}
