"""JSON Schemas of submissions, keys, problems and lists, and the assembly of all of them."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.openapi.documents import document_schemas
from connect.adapters.http.openapi.event_schemas import event_schemas
from connect.adapters.http.openapi.examples import KEY_EXAMPLE, SUBMISSION_EXAMPLE
from connect.adapters.http.openapi.json_schema import INSTANT, Schema, nullable, ref, text
from connect.adapters.http.openapi.organizer_schemas import organizer_schemas
from connect.adapters.http.openapi.webhook_requests import webhook_request_schemas
from connect.domain.keys import Scope
from connect.domain.mode import Mode
from connect.domain.pagination import MAX_LIMIT
from connect.domain.submissions import Status, allowed_transitions

_SCOPES: Final = [s.value for s in Scope]
_MODES: Final = [m.value for m in Mode]
_STATUSES: Final = [s.value for s in Status]


def _submission() -> Schema:
    return {
        "type": "object",
        "description": "A talk submission.",
        "required": list(SUBMISSION_EXAMPLE),
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "speaker_name": text(120, "Trimmed, 1..120 characters.", "Ferris Crab"),
            "talk_context": text(8000, "Trimmed, 1..8000 characters.", "Zero-copy parsing"),
            "is_on_behalf": {"type": "boolean"},
            "submitter_name": nullable(
                text(120, "Required when is_on_behalf is true.", "Grace Hopper")
            ),
            "discord_channel_id": nullable({"type": "string", "maxLength": 200}),
            "discord_invite_link": nullable(
                {"type": "string", "format": "uri", "description": "An https:// URL."}
            ),
            "status": {"type": "string", "enum": _STATUSES},
            "scheduled_date": nullable(
                {
                    "type": "string",
                    "format": "date",
                    "description": "Setting it makes the status scheduled.",
                }
            ),
            "mode": {"type": "string", "enum": _MODES},
            "created_at": INSTANT,
            "updated_at": INSTANT,
        },
        "examples": [SUBMISSION_EXAMPLE],
    }


def _submission_detail() -> Schema:
    return {
        "allOf": [
            ref("Submission"),
            {
                "type": "object",
                "required": ["allowed_transitions"],
                "properties": {
                    "allowed_transitions": {
                        "type": "array",
                        "items": {"type": "string", "enum": _STATUSES},
                        "uniqueItems": True,
                        "description": "The statuses this talk may move to now (the "
                        "lifecycle, docs/api.md). scheduled means it may be given a date "
                        "(a new one, when it is scheduled already). Any other move is a 422.",
                        "examples": [[s.value for s in allowed_transitions(Status.PENDING)]],
                    }
                },
            },
        ],
        "examples": [
            {
                **SUBMISSION_EXAMPLE,
                "allowed_transitions": [
                    s.value for s in allowed_transitions(Status(str(SUBMISSION_EXAMPLE["status"])))
                ],
            }
        ],
    }


def _new_submission() -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "A new submission (snake_case). Its mode is the calling key's mode.",
        "required": ["speaker_name", "talk_context"],
        "properties": {
            "speaker_name": text(120, "1..120 characters after trimming.", "Ferris Crab"),
            "talk_context": text(8000, "1..8000 characters after trimming.", "Zero-copy parsing"),
            "is_on_behalf": {"type": "boolean", "default": False},
            "submitter_name": nullable(
                text(120, "Required when is_on_behalf is true.", "Grace Hopper")
            ),
            "discord_channel_id": nullable({"type": "string"}),
            "discord_invite_link": nullable({"type": "string", "format": "uri"}),
        },
        "examples": [{"speaker_name": "Ferris Crab", "talk_context": "Zero-copy parsing"}],
    }


def _submission_patch() -> Schema:
    return {
        "type": "object",
        "description": (
            "Only the fields present change; unknown fields are a 422. A scheduled_date makes "
            "the talk scheduled (and sends talk.scheduled); scheduled_date null unschedules it; "
            "a status other than scheduled clears the date."
        ),
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "speaker_name": text(120, "1..120 characters after trimming.", "Ferris Crab"),
            "talk_context": text(8000, "1..8000 characters after trimming.", "Zero-copy parsing"),
            "is_on_behalf": {"type": "boolean"},
            "submitter_name": nullable({"type": "string", "maxLength": 120}),
            "discord_channel_id": nullable({"type": "string"}),
            "discord_invite_link": nullable({"type": "string", "format": "uri"}),
            "status": {"type": "string", "enum": _STATUSES},
            "scheduled_date": nullable({"type": "string", "format": "date"}),
        },
        "examples": [{"scheduled_date": "2026-03-18"}, {"status": "accepted"}],
    }


def _speaker_form() -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "The public speakers' form (camelCase, always live mode).",
        "required": ["speakerName", "talkContext"],
        "properties": {
            "speakerName": text(120, "1..120 characters after trimming.", "Ferris Crab"),
            "talkContext": text(8000, "1..8000 characters after trimming.", "Zero-copy parsing"),
            "isOnBehalf": {"type": "boolean", "default": False},
            "submitterName": nullable(
                text(120, "Required when isOnBehalf is true.", "Grace Hopper")
            ),
        },
        "examples": [{"speakerName": "Ferris Crab", "talkContext": "Zero-copy parsing"}],
    }


def _speaker_form_reply() -> Schema:
    return {
        "type": "object",
        "required": ["success", "submissionId", "discordInviteLink"],
        "properties": {
            "success": {"const": True},
            "submissionId": {"type": "integer"},
            "discordInviteLink": nullable({"type": "string", "format": "uri"}),
        },
        "examples": [{"success": True, "submissionId": 42, "discordInviteLink": None}],
    }


def _key() -> Schema:
    return {
        "type": "object",
        "description": "An API key. The secret token is never listed; its hash never leaves.",
        "required": list(KEY_EXAMPLE),
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "key_id": {
                "type": "string",
                "pattern": "^rnc_(live|test)_[0-9A-Za-z]{8}$",
                "description": "Public: the mode prefix and the first 8 characters of the token.",
            },
            "name": text(120, "A label for people.", "Discord bot"),
            "scopes": {
                "type": "array",
                "items": {"type": "string", "enum": _SCOPES},
                "uniqueItems": True,
            },
            "mode": {"type": "string", "enum": _MODES},
            "created_by": {"type": "string", "description": "key_id (or tool) that made it."},
            "expires_at": nullable(INSTANT),
            "last_used_at": nullable({**INSTANT, "description": "Written at most once a minute."}),
            "revoked_at": nullable(
                {**INSTANT, "description": "In the future during a rotation's grace period."}
            ),
            "created_at": INSTANT,
        },
        "examples": [KEY_EXAMPLE],
    }


def _issued_key() -> Schema:
    return {
        "allOf": [
            ref("Key"),
            {
                "type": "object",
                "required": ["token"],
                "properties": {
                    "token": {
                        "type": "string",
                        "pattern": "^rnc_(live|test)_[0-9A-Za-z]{24}$",
                        "description": "The secret. Shown once, here; store it now.",
                        "examples": ["rnc_live_Ab3dE9xQzzzzzzzzzzzzzzzz"],
                    }
                },
            },
        ],
        "examples": [{**KEY_EXAMPLE, "token": "rnc_live_Ab3dE9xQzzzzzzzzzzzzzzzz"}],
    }


def _new_key() -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "scopes"],
        "properties": {
            "name": text(120, "A label for people.", "Discord bot"),
            "scopes": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "enum": _SCOPES},
                "description": "Only scopes the calling key holds.",
            },
            "mode": {
                "type": "string",
                "enum": _MODES,
                "description": "Defaults to the calling key's mode; a test key makes test keys.",
            },
            "expires_at": nullable({**INSTANT, "description": "Must be in the future."}),
        },
        "examples": [{"name": "Discord bot", "scopes": ["submissions:read"], "mode": "live"}],
    }


def _rotation() -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "grace_seconds": {
                "type": "integer",
                "minimum": 0,
                "maximum": 2_592_000,
                "default": 86_400,
                "description": "How long the old token or secret keeps working; 0 = now.",
            }
        },
        "examples": [{"grace_seconds": 3600}],
    }


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


def page_of(item: str) -> Schema:
    return {
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


def schemas() -> dict[str, Schema]:
    return {
        "Submission": _submission(),
        "SubmissionDetail": _submission_detail(),
        "NewSubmission": _new_submission(),
        "SubmissionPatch": _submission_patch(),
        "SpeakerForm": _speaker_form(),
        "SpeakerFormReply": _speaker_form_reply(),
        "Key": _key(),
        "IssuedKey": _issued_key(),
        "NewKey": _new_key(),
        "Rotation": _rotation(),
        **document_schemas(),
        **webhook_request_schemas(),
        **event_schemas(),
        **organizer_schemas(),
        "Problem": _problem(),
        "ProblemWithError": _problem_with_error(),
        "SubmissionList": page_of("Submission"),
        "KeyList": page_of("Key"),
        "WebhookList": page_of("Webhook"),
        "DeliveryList": page_of("Delivery"),
        "AuditList": page_of("AuditEntry"),
    }
