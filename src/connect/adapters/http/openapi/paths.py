"""Every route of the route table, as OpenAPI path items."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.events_paths import event_paths
from connect.adapters.http.openapi.operations import PAGE, json_body, json_response, operation
from connect.adapters.http.openapi.organizer_paths import organizer_paths
from connect.adapters.http.openapi.webhook_paths import webhook_paths


def _submissions() -> dict[str, Any]:
    return {
        "/api/submissions": {
            "post": operation(
                "submitTalk",
                "Submit a talk (the speakers' form)",
                tag="Submissions",
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
                description="Newest first, in the key's mode.",
                parameters=[*PAGE, "status", "since", "q"],
                responses={200: json_response("A page.", "SubmissionList", headers=["Link"])},
                problems=[422],
            ),
            "post": operation(
                "createSubmission",
                "Create a submission",
                tag="Submissions",
                description="In the key's mode. Sends submission.created. Send an "
                "Idempotency-Key to make it safe to retry.",
                parameters=["idempotencyKey"],
                body=json_body("NewSubmission"),
                responses={
                    201: json_response(
                        "Created (or, on a retry with the same Idempotency-Key, created before).",
                        "SubmissionDetail",
                        headers=["Location", "Idempotent-Replayed"],
                    )
                },
            ),
        },
        "/api/v1/submissions/{id}": {
            "get": operation(
                "getSubmission",
                "Get a submission",
                tag="Submissions",
                parameters=["submissionId"],
                responses={200: json_response("The submission.", "SubmissionDetail")},
                problems=[404],
            ),
            "patch": operation(
                "updateSubmission",
                "Update a submission",
                tag="Submissions",
                description="Sends submission.updated when something changed, and "
                "talk.scheduled when a date was set or moved. The status moves only along "
                "the lifecycle: the answer's allowed_transitions lists the next moves, and "
                "any other is a 422.",
                parameters=["submissionId"],
                body=json_body("SubmissionPatch"),
                responses={200: json_response("The updated submission.", "SubmissionDetail")},
                problems=[404],
            ),
            "delete": operation(
                "eraseSubmission",
                "Erase a submission",
                tag="Submissions",
                description="Organizers only. Deletes the submission and scrubs its personal "
                "data from every stored event body, delivery payload and response snippet; "
                "deliveries of it still to be attempted are cancelled. Sends "
                "submission.deleted with the id alone. A second DELETE answers 404.",
                parameters=["submissionId"],
                responses={204: {"description": "Erased."}},
                problems=[404],
            ),
        },
        "/api/v1/schedule": {
            "get": operation(
                "getSchedule",
                "The schedule",
                tag="Submissions",
                description="Scheduled talks ordered by date (one page, next_cursor null).",
                responses={200: json_response("Scheduled talks.", "SubmissionList")},
            )
        },
    }


def _export(
    operation_id: str,
    summary: str,
    media: str,
    description: str,
    schema: dict[str, Any] | None = None,
    **kw: Any,
) -> Any:
    return operation(
        operation_id,
        summary,
        tag="Exports",
        description=description + " 10 downloads an hour per key; a 304 does not need a new "
        "download.",
        responses={
            200: {
                "description": "The export, streamed.",
                "content": {media: {"schema": schema or {"type": "string"}}},
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
                schema={"type": "array", "items": {"$ref": "#/components/schemas/Submission"}},
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
            )
        },
    }


def _page(operation_id: str, summary: str, media: str, description: str) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        tag="Service",
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
    document["responses"]["200"]["content"]["application/json"]["schema"] = {
        "type": "object",
        "required": ["openapi", "info", "paths"],
    }
    document["responses"]["304"] = {"description": "Not modified."}
    home = _page(
        "home",
        "The home page",
        "text/html",
        "Links to /docs/api, /openapi.json, /admin, /healthz and /api/v1/event-types "
        "(also in a `Link` header). HTML unless the client prefers JSON "
        "(`Accept: application/json`).",
    )
    home["responses"]["200"]["content"]["application/json"] = {
        "schema": {
            "type": "object",
            "required": ["name", "version", "links"],
            "properties": {
                "name": {"const": "Connect"},
                "description": {"type": "string"},
                "version": {"type": "string"},
                "links": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["rel", "href", "title"],
                        "properties": {
                            "rel": {"type": "string", "examples": ["service-doc"]},
                            "href": {"type": "string", "examples": ["/docs/api"]},
                            "title": {"type": "string"},
                        },
                    },
                },
            },
        }
    }
    return {
        "/": {"get": home},
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
    return {
        **_submissions(),
        **_exports(),
        **webhook_paths(),
        **event_paths(),
        **organizer_paths(),
        **_service(),
    }
