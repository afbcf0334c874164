"""The webhooks' routes, and the event feed and catalog they share their events with."""

from __future__ import annotations

from functools import partial
from typing import Final

from connect.adapters.http.resources.events import EventFeed, EventTypes
from connect.adapters.http.resources.webhooks import (
    Redelivery,
    WebhookCollection,
    WebhookDeliveries,
    WebhookItem,
    WebhookRecovery,
    WebhookSecretRotation,
    WebhookTest,
)
from connect.adapters.http.routes.route import (
    PAGE,
    PUBLIC,
    READ,
    WEBHOOKS,
    Answer,
    Operation,
    Route,
)
from connect.domain.recovery import MAX_AGE

TAG: Final = "Webhooks"


#: A route below one webhook, ``/api/v1/webhooks/{id}``.
_hook: Final = partial(Route, tag=TAG, ids=("id",), parameter="webhookId")


ROUTES: Final = (
    Route(
        "/api/v1/webhooks",
        lambda s, d: WebhookCollection(s.webhooks),
        post=Operation(
            WEBHOOKS,
            "createWebhook",
            "Register a webhook",
            "The answer carries the signing secret, once. The webhook belongs to the "
            "calling key and its mode.",
            body="NewWebhook",
            answers={201: Answer("Registered.", "WebhookWithSecret", ("Location",))},
        ),
        get=Operation(
            WEBHOOKS,
            "listWebhooks",
            "List webhooks",
            "The calling key's own webhooks; all of them with keys:manage.",
            parameters=PAGE,
            answers={200: Answer("A page.", "WebhookList", ("Link",))},
        ),
        tag=TAG,
    ),
    _hook(
        "/api/v1/webhooks/{id}",
        lambda s, d: WebhookItem(s.webhooks),
        get=Operation(
            WEBHOOKS,
            "getWebhook",
            "Get a webhook",
            answers={200: Answer("The webhook.", "Webhook")},
        ),
        patch=Operation(
            WEBHOOKS,
            "updateWebhook",
            "Update a webhook",
            "active: true re-enables it, resets failure_count and resumes its kept deliveries.",
            body="WebhookPatch",
            answers={200: Answer("The updated webhook.", "Webhook")},
        ),
        delete=Operation(
            WEBHOOKS,
            "deleteWebhook",
            "Delete a webhook",
            answers={204: Answer("Deleted; its deliveries stop.")},
        ),
    ),
    _hook(
        "/api/v1/webhooks/{id}/test",
        lambda s, d: WebhookTest(s.webhooks),
        post=Operation(
            WEBHOOKS,
            "testWebhook",
            "Send a test event now",
            "Sends webhook.test synchronously and answers with the attempt result (status "
            "code, duration, error, response snippet).",
            answers={200: Answer("The attempt's result.", "TestSend")},
        ),
    ),
    _hook(
        "/api/v1/webhooks/{id}/rotate-secret",
        lambda s, d: WebhookSecretRotation(s.webhooks),
        post=Operation(
            WEBHOOKS,
            "rotateWebhookSecret",
            "Rotate a webhook's secret",
            "A new secret, shown once. During grace_seconds every request is signed with "
            "both secrets.",
            body="Rotation",
            body_required=False,
            answers={200: Answer("The webhook and its new secret.", "WebhookWithSecret")},
        ),
    ),
    _hook(
        "/api/v1/webhooks/{id}/deliveries",
        lambda s, d: WebhookDeliveries(s.webhooks),
        get=Operation(
            WEBHOOKS,
            "listDeliveries",
            "A webhook's delivery log",
            "Newest first, each delivery with its attempts.",
            parameters=PAGE,
            answers={200: Answer("A page.", "DeliveryList", ("Link",))},
        ),
    ),
    _hook(
        "/api/v1/webhooks/{id}/recover",
        lambda s, d: WebhookRecovery(s.webhooks),
        post=Operation(
            WEBHOOKS,
            "recoverWebhook",
            "Recover failed deliveries",
            "After an outage: queues again every delivery to this webhook that was given "
            "up (status failed) and whose event happened from since to until (both "
            f"included; until defaults to now; since at most {MAX_AGE.days} days ago), once "
            "each, with its event id. Test sends are not recovered; deliveries still being "
            "retried keep their schedule. The webhook must be active.",
            body="RecoveryWindow",
            answers={202: Answer("Queued.", "Recovery")},
            problems=(409,),
        ),
    ),
    Route(
        "/api/v1/deliveries/{id}/redeliver",
        lambda s, d: Redelivery(s.webhooks),
        post=Operation(
            WEBHOOKS,
            "redeliver",
            "Redeliver",
            "Queues a new attempt of the same event, with the same webhook-id (receivers "
            "deduplicate on it).",
            answers={202: Answer("The delivery, queued again.", "Delivery")},
            problems=(409,),
        ),
        tag=TAG,
        ids=("id",),
        parameter="deliveryId",
    ),
    # NOTE: events carry submissions, so reading them needs what reading those needs.
    Route(
        "/api/v1/events",
        lambda s, d: EventFeed(s.feed),
        get=Operation(
            READ,
            "listEvents",
            "The event feed",
            "Every event of the key's mode in the order it happened, oldest first, with "
            "the id and body its webhooks carry: the fallback for a tool that cannot "
            "receive webhooks. Poll with ?after=<next_cursor> and If-None-Match; 304 while "
            "nothing is new. Events are kept CONNECT_RETENTION_DAYS days, and longer while "
            "a delivery of them is still to be attempted.",
            parameters=("limit", "after", "types", "feedIfNoneMatch"),
            answers={
                200: Answer("A page.", "EventPage", ("ETag", "Link")),
                304: Answer("Nothing new since the ETag you sent."),
            },
        ),
        tag="Events",
    ),
    # NOTE: the catalog is reference data, the same as /openapi.json's webhooks section.
    Route(
        "/api/v1/event-types",
        lambda s, d: EventTypes(d),
        get=Operation(
            PUBLIC,
            "listEventTypes",
            "The event types",
            "Public reference data: each event type with its description, the JSON "
            "Schema of its body and an example body.",
            answers={200: Answer("Every event type.", "EventTypeList")},
        ),
        tag="Events",
    ),
)
