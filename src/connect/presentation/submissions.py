"""The submission documents beside the submission itself: one answered alone, with
its lifecycle moves, and the speakers' form's reply."""

from __future__ import annotations

from typing import Literal

from attrs import field, frozen

from connect.domain.shapes import describe
from connect.domain.submissions import (
    INVITE,
    STATUS,
    Status,
    Submission,
    allowed_transitions,
)


@frozen
class Moves:
    """The lifecycle moves a talk has now."""

    allowed_transitions: tuple[Status, ...] = field(
        metadata=describe(
            "The statuses this talk may move to now (the lifecycle, docs/api.md). scheduled "
            "means it may be given a date (a new one, when it is scheduled already). Any "
            "other move is a 422.",
            example=[s.value for s in allowed_transitions(Status(STATUS["example"]))],
            uniqueItems=True,
        )
    )


@frozen
class FormReply:
    """The speakers' form's answer (camelCase, as the Rust NYC site's frontend reads it)."""

    success: Literal[True]
    submissionId: int = field(
        metadata=describe("The new submission's number.", example=42, minimum=1)
    )
    discordInviteLink: str | None = field(metadata=INVITE)

    @classmethod
    def of(cls, submission: Submission) -> FormReply:
        return cls(True, submission.id, submission.discord_invite_link)
