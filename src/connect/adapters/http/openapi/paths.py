"""Every route of DESIGN section 3, as OpenAPI path items."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.operations import json_body, json_response, operation

READ = "submissions:read"
WRITE = "submissions:write"
EXPORTS = "exports:create"
HOOKS = "webhooks:manage"
ORGANIZER = "keys:manage"
PAGE = ("limit", "cursor")


def _submissions() -> dict[str, Any]:
    return {
        "/api/submissions": {
            "post": operation(
                "submitTalk",
                "Submit a talk (the speakers' form)",
                tag="Submissions",
                scope=None,
                description="Public, camelCase, always live mode. 10 per 15 minutes per "
                "client IP. Sends submission.created.",
                body=json_body("SpeakerForm"),
                responses={201: json_response("Stored.", "SpeakerFormReply")},
            )
        },
        "/api/v1/submissions": {
            "get": operation(
                "listSubmissions",
                "List submissions",
                tag="Submissions",
                scope=READ,
                description="Newest first, in the key's mode.",
                parameters=[*PAGE, "status", "since"],
                responses={200: json_response("A page.", "SubmissionList", headers=["Link"])},
                problems=[422],
            ),
            "post": operation(
                "createSubmission",
                "Create a submission",
                tag="Submissions",
                scope=WRITE,
                description="In the key's mode. Sends submission.created.",
                body=json_body("NewSubmission"),
                responses={201: json_response("Created.", "Submission", headers=["Location"])},
            ),
        },
        "/api/v1/submissions/{id}": {
            "get": operation(
                "getSubmission",
                "Get a submission",
                tag="Submissions",
                scope=READ,
                parameters=["submissionId"],
                responses={200: json_response("The submission.", "Submission")},
                problems=[404],
            ),
            "patch": operation(
                "updateSubmission",
                "Update a submission",
                tag="Submissions",
                scope=WRITE,
                description="Sends submission.updated when something changed, and "
                "talk.scheduled when a date was set or moved.",
                parameters=["submissionId"],
                body=json_body("SubmissionPatch"),
                responses={200: json_response("The updated submission.", "Submission")},
                problems=[404],
            ),
        },
        "/api/v1/schedule": {
            "get": operation(
                "getSchedule",
                "The schedule",
                tag="Submissions",
                scope=READ,
                description="Scheduled talks ordered by date (one page, next_cursor null).",
                responses={200: json_response("Scheduled talks.", "SubmissionList")},
            )
        },
    }


def _export(operation_id: str, summary: str, media: str, description: str, **kw: Any) -> Any:
    return operation(
        operation_id,
        summary,
        tag="Exports",
        scope=EXPORTS,
        description=description + " 10 downloads an hour per key; a 304 does not need a new "
        "download.",
        responses={
            200: {
                "description": "The export, streamed.",
                "content": {media: {"schema": {"type": "string"}}},
                "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
            },
            304: {"description": "Not modified since the ETag you sent."},
        },
        problems=[422],
        **kw,
    )


def _exports() -> dict[str, Any]:
    filters = ["since", "exportStatus", "ifNoneMatch"]
    return {
        "/api/v1/exports/submissions.csv": {
            "get": _export(
                "exportCsv",
                "Export submissions as CSV",
                "text/csv; charset=utf-8",
                "Columns id,speaker_name,talk_context,is_on_behalf,submitter_name,"
                "discord_channel_id,created_at,scheduled_date; RFC 4180; a cell starting with "
                "= + - @ tab or CR is prefixed with '. Content-Disposition: attachment; "
                'filename="submissions.csv".',
                parameters=filters,
            )
        },
        "/api/v1/exports/submissions.json": {
            "get": _export(
                "exportJson",
                "Export submissions as JSON",
                "application/json",
                "An array of submission objects (same fields as the API).",
                parameters=filters,
            )
        },
        "/api/v1/exports/schedule.ics": {
            "get": _export(
                "exportCalendar",
                "The schedule as iCalendar",
                "text/calendar; charset=utf-8",
                "One VEVENT per scheduled talk with a stable UID. The only endpoint that also "
                "accepts ?key=<token>, for calendar clients; the value is never logged.",
                parameters=["key", "ifNoneMatch"],
                security=[{"bearer": []}, {"queryKey": []}],
            )
        },
    }


def _webhooks() -> dict[str, Any]:
    hook = ["webhookId"]
    return {
        "/api/v1/webhooks": {
            "post": operation(
                "createWebhook",
                "Register a webhook",
                tag="Webhooks",
                scope=HOOKS,
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
                scope=HOOKS,
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
                scope=HOOKS,
                parameters=hook,
                responses={200: json_response("The webhook.", "Webhook")},
                problems=[404],
            ),
            "patch": operation(
                "updateWebhook",
                "Update a webhook",
                tag="Webhooks",
                scope=HOOKS,
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
                scope=HOOKS,
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
                scope=HOOKS,
                description="Sends webhook.test synchronously and answers with the attempt "
                "result (status code, duration, error, response snippet).",
                parameters=hook,
                responses={200: json_response("The attempt's result.", "Attempt")},
                problems=[404],
            )
        },
        "/api/v1/webhooks/{id}/rotate-secret": {
            "post": operation(
                "rotateWebhookSecret",
                "Rotate a webhook's secret",
                tag="Webhooks",
                scope=HOOKS,
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
                scope=HOOKS,
                description="Newest first, each delivery with its attempts.",
                parameters=[*hook, *PAGE],
                responses={200: json_response("A page.", "DeliveryList", headers=["Link"])},
                problems=[404, 422],
            )
        },
        "/api/v1/deliveries/{id}/redeliver": {
            "post": operation(
                "redeliver",
                "Redeliver",
                tag="Webhooks",
                scope=HOOKS,
                description="Queues a new attempt of the same event, with the same webhook-id "
                "(receivers deduplicate on it).",
                parameters=["deliveryId"],
                responses={202: json_response("The delivery, queued again.", "Delivery")},
                problems=[404, 409],
            )
        },
    }


def _organizer() -> dict[str, Any]:
    return {
        "/api/v1/keys": {
            "post": operation(
                "createKey",
                "Create an API key",
                tag="Keys",
                scope=ORGANIZER,
                description="The answer carries the token, once. A key grants only scopes it "
                "holds; a test key makes only test keys.",
                body=json_body("NewKey"),
                responses={201: json_response("Created.", "IssuedKey", headers=["Location"])},
            ),
            "get": operation(
                "listKeys",
                "List API keys",
                tag="Keys",
                scope=ORGANIZER,
                description="Newest first; never tokens nor hashes.",
                parameters=PAGE,
                responses={200: json_response("A page.", "KeyList", headers=["Link"])},
                problems=[422],
            ),
        },
        "/api/v1/keys/{id}": {
            "get": operation(
                "getKey",
                "Get an API key",
                tag="Keys",
                scope=ORGANIZER,
                parameters=["keyId"],
                responses={200: json_response("The key.", "Key")},
                problems=[404],
            ),
            "delete": operation(
                "revokeKey",
                "Revoke an API key",
                tag="Keys",
                scope=ORGANIZER,
                description="Revokes at once (the row is kept). Idempotent: revoking again "
                "keeps the first time.",
                parameters=["keyId"],
                responses={200: json_response("The revoked key.", "Key")},
                problems=[404],
            ),
        },
        "/api/v1/keys/{id}/rotate": {
            "post": operation(
                "rotateKey",
                "Rotate an API key",
                tag="Keys",
                scope=ORGANIZER,
                description="A new key with the same name, scopes, mode and owned webhooks; "
                "the old token keeps working for grace_seconds (default 86400, 0 = now).",
                parameters=["keyId"],
                body=json_body("Rotation", required=False),
                responses={201: json_response("The new key.", "IssuedKey", headers=["Location"])},
                problems=[404, 409],
            )
        },
        "/api/v1/audit": {
            "get": operation(
                "listAudit",
                "The audit log",
                tag="Organizer",
                scope=ORGANIZER,
                description="Newest first. Records the route template, never a token.",
                parameters=PAGE,
                responses={200: json_response("A page.", "AuditList", headers=["Link"])},
                problems=[422],
            )
        },
        "/api/v1/metrics": {
            "get": operation(
                "getMetrics",
                "Success metrics",
                tag="Organizer",
                scope=ORGANIZER,
                responses={200: json_response("The metrics.", "Metrics")},
            )
        },
    }


def _page(operation_id: str, summary: str, media: str, description: str) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        tag="Service",
        scope=None,
        description=description,
        responses={200: {"description": "OK.", "content": {media: {"schema": {"type": "string"}}}}},
        rate_limited=False,
    )


def _service() -> dict[str, Any]:
    health = _page("health", "Health check", "application/json", "200 when storage answers.")
    health["responses"]["200"]["content"]["application/json"]["schema"] = {
        "type": "object",
        "properties": {"status": {"const": "ok"}},
    }
    health["responses"]["503"] = {
        "description": "Storage does not answer (storage-unavailable).",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    document = _page("openapi", "This OpenAPI document", "application/json", "Public. Has an ETag.")
    document["responses"]["200"]["headers"] = {"ETag": {"$ref": "#/components/headers/ETag"}}
    document["responses"]["304"] = {"description": "Not modified."}
    return {
        "/healthz": {"get": health},
        "/openapi.json": {"get": document},
        "/docs/api": {
            "get": _page("apiDocs", "The API docs page", "text/html", "This reference, as HTML.")
        },
        "/admin": {
            "get": _page(
                "adminPage",
                "The organizer page",
                "text/html",
                "A self-contained page; it asks for a keys:manage key and calls the JSON API.",
            )
        },
    }


def paths() -> dict[str, Any]:
    return {**_submissions(), **_exports(), **_webhooks(), **_organizer(), **_service()}
