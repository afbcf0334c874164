"""The component schemas, all assembled: the generated ones, the events', the problems'
and the pages of lists."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.openapi.documents import WALKER, document_schemas
from connect.adapters.http.openapi.event_schemas import event_schemas
from connect.adapters.http.openapi.json_schema import Schema, nullable, ref
from connect.domain.pagination import MAX_LIMIT


def _problem() -> Schema:
    return {
        "type": "object",
        "description": "RFC 9457 problem details (application/problem+json).",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri-reference",
                "description": "/docs/api#problem-<kind>: the docs of this kind of problem.",
                "examples": ["/docs/api#problem-validation-failed"],
            },
            "title": {"type": "string", "description": "The same for every problem of a type."},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "What went wrong this time."},
            "errors": {
                "type": "array",
                "description": "Field problems (422), every one at once.",
                "items": {
                    "type": "object",
                    "required": ["field", "message", "pointer", "detail"],
                    "properties": {
                        "field": {"type": "string", "description": "The member's name."},
                        "message": {"type": "string", "description": "What is wrong with it."},
                        "pointer": {
                            "type": "string",
                            "description": "The member as a JSON Pointer (RFC 6901), e.g. "
                            "`/talk_context`.",
                        },
                        "detail": {"type": "string", "description": "The same as `message`."},
                    },
                },
            },
            "policy": {"type": "string", "description": "429 only: the policy that refused."},
            "retry_after": {"type": "integer", "description": "429 only: seconds to wait."},
        },
        "examples": [
            {
                "type": "/docs/api#problem-validation-failed",
                "title": "Invalid fields",
                "status": 422,
                "detail": "speaker_name: is required",
                "errors": [
                    {
                        "field": "speaker_name",
                        "message": "is required",
                        "pointer": "/speaker_name",
                        "detail": "is required",
                    }
                ],
            }
        ],
    }


def _problem_with_error() -> Schema:
    return {
        "description": "A problem that also carries `error` (an RFC 9457 extension "
        "member): the same problem as one or more sentences for a person, as the Rust NYC "
        'site\'s own frontend shows it (`result.error`, else "Failed to submit"). Field '
        "problems name the field as the form labels it.",
        "allOf": [
            {"$ref": "#/components/schemas/Problem"},
            {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "string",
                        "minLength": 1,
                        "description": "What went wrong, for a person.",
                        "examples": ["Speaker name must not be blank."],
                    }
                },
            },
        ],
        "examples": [
            {
                "type": "/docs/api#problem-validation-failed",
                "title": "Invalid fields",
                "status": 422,
                "detail": "speakerName: must not be blank",
                "errors": [
                    {
                        "field": "speakerName",
                        "message": "must not be blank",
                        "pointer": "/speakerName",
                        "detail": "must not be blank",
                    }
                ],
                "error": "Speaker name must not be blank.",
            }
        ],
    }


#: The lists: each page wrapper's name, and its items' component.
PAGES: Final = {
    "SubmissionList": "Submission",
    "KeyList": "Key",
    "WebhookList": "Webhook",
    "DeliveryList": "Delivery",
    "AuditList": "AuditEntry",
}


def page_of(item: str) -> Schema:
    """A page of a list of ``item``: its items and the next page's cursor."""
    schema: Schema = {
        "type": "object",
        "required": ["data", "next_cursor"],
        "properties": {
            "data": {"type": "array", "items": ref(item)},
            "next_cursor": nullable(
                {
                    "type": "string",
                    "description": (
                        f"Pass as ?cursor= for the next page; null on the last. limit is "
                        f"1..{MAX_LIMIT}."
                    ),
                }
            ),
        },
    }
    return {**schema, "examples": [WALKER.example(schema)]}


def schemas() -> dict[str, Schema]:
    return {
        **document_schemas(),
        **event_schemas(),
        "Problem": _problem(),
        "ProblemWithError": _problem_with_error(),
        **{name: page_of(item) for name, item in PAGES.items()},
    }
