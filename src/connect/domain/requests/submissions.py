"""The bodies that create and change a talk submission."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from attrs import Attribute, asdict, field, frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.requests.rules import FLAG, ISO_DATE, TEXT, UNSET, Unset, rule
from connect.domain.submissions import (
    CHANNEL,
    CONTEXT,
    INVITE,
    ON_BEHALF,
    SCHEDULED_DATE,
    SPEAKER,
    STATUS,
    SUBMITTER,
    Status,
)


def _status(value: object, field: Attribute[Any]) -> Status:
    if isinstance(value, str) and value in field.metadata["schema"]["enum"]:
        return Status(value)
    raise ValidationFailed.single(field.name, f"must be one of: {', '.join(Status)}")


@frozen
class SubmissionFields:
    """A new submission (its mode is the calling key's, its time the clock's)."""

    speaker_name: str = field(converter=TEXT, metadata=SPEAKER)
    talk_context: str = field(converter=TEXT, metadata=CONTEXT)
    is_on_behalf: bool = field(default=False, converter=FLAG, metadata=ON_BEHALF)
    submitter_name: str | None = field(default=None, converter=TEXT, metadata=SUBMITTER)
    discord_channel_id: str | None = field(default=None, converter=TEXT, metadata=CHANNEL)
    discord_invite_link: str | None = field(default=None, converter=TEXT, metadata=INVITE)

    @staticmethod
    def related(fields: Mapping[str, Any]) -> list[FieldError]:
        """The rule between fields, on those that passed their own rules: a talk on
        behalf of its speaker names its submitter."""
        if fields.get("is_on_behalf") and fields.get("submitter_name", "") is None:
            return [FieldError("submitter_name", "is required")]
        return []

    def __attrs_post_init__(self) -> None:
        errors = self.related(asdict(self, recurse=False))
        if errors:
            raise ValidationFailed(errors)


@frozen
class SubmissionPatch:
    """A change to a submission: only the members given change (an empty body changes
    nothing); a scheduled_date schedules the talk, null unschedules it, and a status
    other than scheduled clears the date."""

    speaker_name: str | Unset = field(default=UNSET, converter=TEXT, metadata=SPEAKER)
    talk_context: str | Unset = field(default=UNSET, converter=TEXT, metadata=CONTEXT)
    is_on_behalf: bool | Unset = field(default=UNSET, converter=FLAG, metadata=ON_BEHALF)
    submitter_name: str | Unset | None = field(default=UNSET, converter=TEXT, metadata=SUBMITTER)
    discord_channel_id: str | Unset | None = field(default=UNSET, converter=TEXT, metadata=CHANNEL)
    discord_invite_link: str | Unset | None = field(default=UNSET, converter=TEXT, metadata=INVITE)
    status: Status | Unset = field(default=UNSET, converter=rule(_status), metadata=STATUS)
    scheduled_date: date | Unset | None = field(
        default=UNSET, converter=ISO_DATE, metadata=SCHEDULED_DATE
    )
