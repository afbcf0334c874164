"""The component schemas, all assembled: the generated ones, the events', the problems'
and the pages of lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from attrs import field, make_class

from connect.adapters.http.openapi.documents import WALKER, document_schemas
from connect.adapters.http.openapi.event_schemas import event_schemas
from connect.adapters.http.openapi.json_schema import Schema
from connect.domain.pagination import MAX_LIMIT
from connect.domain.shapes import describe
from connect.domain.submissions import Submission
from connect.presentation.audit import AuditEntryDocument
from connect.presentation.keys import KeyDocument
from connect.presentation.webhooks import DeliveryDocument, WebhookDocument


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


#: The lists: each page's component name, and the class of its items.
PAGES: Final[Mapping[str, type]] = {
    "SubmissionList": Submission,
    "KeyList": KeyDocument,
    "WebhookList": WebhookDocument,
    "DeliveryList": DeliveryDocument,
    "AuditList": AuditEntryDocument,
}
_NEXT: Final = describe(
    f"Pass as ?cursor= for the next page; null on the last. limit is 1..{MAX_LIMIT}."
)


def page_of(item: type) -> type:
    """The shape of a page of a list of ``item``: its items and the next page's cursor."""
    # NOTE: a class made at run time: its field types are values mypy cannot check.
    fields = {
        "data": field(type=tuple[item, ...]),  # type: ignore[valid-type]
        "next_cursor": field(type=str | None, metadata=_NEXT),  # type: ignore[arg-type]
    }
    doc = "A page of a list: its items and the next page's cursor."
    return make_class(f"PageOf{item.__name__}", fields, class_body={"__doc__": doc}, frozen=True)


def schemas() -> dict[str, Schema]:
    return {
        **document_schemas(),
        **event_schemas(),
        "Problem": _problem(),
        "ProblemWithError": _problem_with_error(),
        **{name: WALKER.component(page_of(item)) for name, item in PAGES.items()},
    }
