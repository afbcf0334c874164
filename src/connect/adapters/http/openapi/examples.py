"""Example values shown in the OpenAPI document and the docs page."""

from __future__ import annotations

from typing import Final

SUBMISSION_EXAMPLE: Final = {
    "id": 42,
    "speaker_name": "Ferris Crab",
    "talk_context": "Zero-copy parsing with nom: a 20-minute tour.",
    "is_on_behalf": False,
    "submitter_name": None,
    "discord_channel_id": None,
    "discord_invite_link": None,
    "status": "pending",
    "scheduled_date": None,
    "mode": "live",
    "created_at": "2026-02-06T13:57:40Z",
    "updated_at": "2026-02-06T13:57:40Z",
}

KEY_EXAMPLE: Final = {
    "id": 7,
    "key_id": "rnc_live_Ab3dE9xQ",
    "name": "Discord bot",
    "scopes": ["submissions:read"],
    "mode": "live",
    "created_by": "rnc_live_Org4nizr",
    "expires_at": None,
    "last_used_at": None,
    "revoked_at": None,
    "created_at": "2026-11-25T18:00:00Z",
}

WEBHOOK_EXAMPLE: Final = {
    "id": 3,
    "url": "https://bot.example.org/connect/hooks",
    "events": ["submission.created", "talk.scheduled"],
    "active": True,
    "failure_count": 0,
    "disabled_reason": None,
    "disabled_at": None,
    "api_key_id": 7,
    "mode": "live",
    "created_at": "2026-11-25T18:05:00Z",
}

ATTEMPT_EXAMPLE: Final = {
    "attempt": 1,
    "status_code": 200,
    "duration_ms": 84,
    "error": None,
    "response_snippet": "ok",
    "attempted_at": "2026-11-25T18:06:01Z",
}

DELIVERY_EXAMPLE: Final = {
    "id": 12,
    "webhook_id": 3,
    "event_id": "evt_8Hq2LmZ0pR4sT6vW1xY3aB5c",
    "event": "submission.created",
    "status": "succeeded",
    "attempt_count": 1,
    "next_attempt_at": None,
    "created_at": "2026-11-25T18:06:00Z",
    "attempts": [ATTEMPT_EXAMPLE],
}
