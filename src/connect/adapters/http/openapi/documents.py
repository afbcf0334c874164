"""The response documents' schemas, generated from the shapes that render them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from connect.adapters.http.openapi.examples import (
    ATTEMPT_EXAMPLE,
    DELIVERY_EXAMPLE,
    WEBHOOK_EXAMPLE,
)
from connect.adapters.http.openapi.json_schema import Schema
from connect.adapters.http.openapi.walker import Walker
from connect.domain.deliveries import Attempt
from connect.presentation.audit import AuditEntryDocument
from connect.presentation.webhooks import (
    DeliveryDocument,
    RecoveryDocument,
    TestSend,
    WebhookDocument,
    WebhookWithSecret,
)

#: Each shape a response is rendered through, by its component name.
SHAPES: Final[Mapping[type, str]] = {
    WebhookDocument: "Webhook",
    WebhookWithSecret: "WebhookWithSecret",
    Attempt: "Attempt",
    TestSend: "TestSend",
    DeliveryDocument: "Delivery",
    RecoveryDocument: "Recovery",
    AuditEntryDocument: "AuditEntry",
}
_EXAMPLES: Final[Mapping[str, dict[str, Any]]] = {
    "Webhook": WEBHOOK_EXAMPLE,
    "WebhookWithSecret": {**WEBHOOK_EXAMPLE, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
    "Attempt": ATTEMPT_EXAMPLE,
    "TestSend": {
        **ATTEMPT_EXAMPLE,
        "success": True,
        "delivery_id": 12,
        "event_id": "evt_8Hq2LmZ0pR4sT6vW1xY3aB5c",
    },
    "Delivery": DELIVERY_EXAMPLE,
    "Recovery": {
        "webhook_id": 3,
        "since": "2026-02-06T09:00:00Z",
        "until": "2026-02-06T13:00:00Z",
        "recovered": 42,
    },
}


def document_schemas(walker: Walker | None = None) -> dict[str, Schema]:
    """The component schemas of the response shapes, with their examples."""
    schemas = (walker or Walker(SHAPES)).components()
    for name, example in _EXAMPLES.items():
        schemas[name]["examples"] = [example]
    return schemas
