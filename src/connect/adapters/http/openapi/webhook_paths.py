"""The webhook routes, as OpenAPI path items."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.operations import PAGE, json_body, json_response, operation


def webhook_paths() -> dict[str, Any]:
    hook = ["webhookId"]
    return {
        "/api/v1/webhooks": {
            "post": operation(
                "createWebhook",
                "Register a webhook",
                tag="Webhooks",
                description="The answer carries the signing secret, once. The webhook belongs "
                "to the calling key and its mode.",
                body=json_body("NewWebhook"),
                responses={
                    201: json_response("Registered.", "WebhookWithSecret", headers=["Location"])
                },
            ),
            "get": operation(
                "listWebhooks",
                "List webhooks",
                tag="Webhooks",
                description="The calling key's own webhooks; all of them with keys:manage.",
                parameters=PAGE,
                responses={200: json_response("A page.", "WebhookList", headers=["Link"])},
                problems=[422],
            ),
        },
        "/api/v1/webhooks/{id}": {
            "get": operation(
                "getWebhook",
                "Get a webhook",
                tag="Webhooks",
                parameters=hook,
                responses={200: json_response("The webhook.", "Webhook")},
                problems=[404],
            ),
            "patch": operation(
                "updateWebhook",
                "Update a webhook",
                tag="Webhooks",
                description="active: true re-enables it, resets failure_count and resumes its "
                "kept deliveries.",
                parameters=hook,
                body=json_body("WebhookPatch"),
                responses={200: json_response("The updated webhook.", "Webhook")},
                problems=[404],
            ),
            "delete": operation(
                "deleteWebhook",
                "Delete a webhook",
                tag="Webhooks",
                parameters=hook,
                responses={204: json_response("Deleted; its deliveries stop.")},
                problems=[404],
            ),
        },
        "/api/v1/webhooks/{id}/test": {
            "post": operation(
                "testWebhook",
                "Send a test event now",
                tag="Webhooks",
                description="Sends webhook.test synchronously and answers with the attempt "
                "result (status code, duration, error, response snippet).",
                parameters=hook,
                responses={200: json_response("The attempt's result.", "TestSend")},
                problems=[404],
            )
        },
        "/api/v1/webhooks/{id}/rotate-secret": {
            "post": operation(
                "rotateWebhookSecret",
                "Rotate a webhook's secret",
                tag="Webhooks",
                description="A new secret, shown once. During grace_seconds every request is "
                "signed with both secrets.",
                parameters=hook,
                body=json_body("Rotation", required=False),
                responses={
                    200: json_response("The webhook and its new secret.", "WebhookWithSecret")
                },
                problems=[404],
            )
        },
        "/api/v1/webhooks/{id}/deliveries": {
            "get": operation(
                "listDeliveries",
                "A webhook's delivery log",
                tag="Webhooks",
                description="Newest first, each delivery with its attempts.",
                parameters=[*hook, *PAGE],
                responses={200: json_response("A page.", "DeliveryList", headers=["Link"])},
                problems=[404, 422],
            )
        },
        "/api/v1/webhooks/{id}/recover": {
            "post": operation(
                "recoverWebhook",
                "Recover failed deliveries",
                tag="Webhooks",
                description="After an outage: queues again every delivery to this webhook "
                "that was given up (status failed) and whose event happened from since to "
                "until (both included; until defaults to now; since at most 14 days ago), "
                "once each, with its event id. Test sends are not recovered; deliveries "
                "still being retried keep their schedule. The webhook must be active.",
                parameters=hook,
                body=json_body("RecoveryWindow"),
                responses={202: json_response("Queued.", "Recovery")},
                problems=[404, 409, 422],
            )
        },
        "/api/v1/deliveries/{id}/redeliver": {
            "post": operation(
                "redeliver",
                "Redeliver",
                tag="Webhooks",
                description="Queues a new attempt of the same event, with the same webhook-id "
                "(receivers deduplicate on it).",
                parameters=["deliveryId"],
                responses={202: json_response("The delivery, queued again.", "Delivery")},
                problems=[404, 409],
            )
        },
    }
