"""The public shape of a submission: one definition for the API, exports and events."""

from __future__ import annotations

from typing import Any

from connect.domain.submissions import Submission
from connect.domain.time import format_instant


def submission_document(submission: Submission) -> dict[str, Any]:
    """The submission resource as JSON-ready values (docs/design.md section 3)."""
    return {
        "id": submission.id,
        "speaker_name": submission.speaker_name,
        "talk_context": submission.talk_context,
        "is_on_behalf": submission.is_on_behalf,
        "submitter_name": submission.submitter_name,
        "discord_channel_id": submission.discord_channel_id,
        "discord_invite_link": submission.discord_invite_link,
        "status": submission.status.value,
        "scheduled_date": (
            submission.scheduled_date.isoformat() if submission.scheduled_date else None
        ),
        "mode": submission.mode.value,
        "created_at": format_instant(submission.created_at),
        "updated_at": format_instant(submission.updated_at),
    }
