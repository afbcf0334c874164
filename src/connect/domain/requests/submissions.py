"""The bodies that create and change a talk submission."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from attrs import Attribute, asdict, field, frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.requests.rules import FLAG, ISO_DATE, TEXT, UNSET, Unset, rule
from connect.domain.shapes import describe
from connect.domain.submissions import CONTEXT_MAX, DISCORD_FIELD_MAX, NAME_MAX, Status

_SPEAKER = describe("Who gives the talk.", example="Ferris", minLength=1, maxLength=NAME_MAX)
_CONTEXT = describe(
    "What the talk is about.", example="Ownership, explained", minLength=1, maxLength=CONTEXT_MAX
)
_ON_BEHALF = describe("Someone submits for the speaker.", example=False)
_SUBMITTER = describe(
    "Who submits, when on behalf of the speaker (then required).", maxLength=NAME_MAX
)
_CHANNEL = describe("A Discord channel id for the talk.", maxLength=DISCORD_FIELD_MAX)
_INVITE = describe(
    "A Discord invite link.",
    example="https://discord.gg/rust-nyc",
    maxLength=DISCORD_FIELD_MAX,
    pattern="^https://",
)


def _status(value: object, field: Attribute[Any]) -> Status:
    if isinstance(value, str) and value in field.metadata["schema"]["enum"]:
        return Status(value)
    raise ValidationFailed.single(field.name, f"must be one of: {', '.join(Status)}")


@frozen
class SubmissionFields:
    """A new submission as a speaker or an API client gives it (the mode comes from the
    caller's key and the time from the clock, never a body)."""

    speaker_name: str = field(converter=TEXT, metadata=_SPEAKER)
    talk_context: str = field(converter=TEXT, metadata=_CONTEXT)
    is_on_behalf: bool = field(default=False, converter=FLAG, metadata=_ON_BEHALF)
    submitter_name: str | None = field(default=None, converter=TEXT, metadata=_SUBMITTER)
    discord_channel_id: str | None = field(default=None, converter=TEXT, metadata=_CHANNEL)
    discord_invite_link: str | None = field(default=None, converter=TEXT, metadata=_INVITE)

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
    """A partial change: what a caller could give at creation, and the lifecycle
    (``status``, ``scheduled_date``). A field left out stays as it is (``UNSET``)."""

    speaker_name: str | Unset = field(default=UNSET, converter=TEXT, metadata=_SPEAKER)
    talk_context: str | Unset = field(default=UNSET, converter=TEXT, metadata=_CONTEXT)
    is_on_behalf: bool | Unset = field(default=UNSET, converter=FLAG, metadata=_ON_BEHALF)
    submitter_name: str | Unset | None = field(default=UNSET, converter=TEXT, metadata=_SUBMITTER)
    discord_channel_id: str | Unset | None = field(default=UNSET, converter=TEXT, metadata=_CHANNEL)
    discord_invite_link: str | Unset | None = field(default=UNSET, converter=TEXT, metadata=_INVITE)
    status: Status | Unset = field(
        default=UNSET,
        converter=rule(_status),
        metadata=describe(
            "Where the talk is in the lifecycle.", example="accepted", enum=list(Status)
        ),
    )
    scheduled_date: date | Unset | None = field(
        default=UNSET,
        converter=ISO_DATE,
        metadata=describe(
            "The day of the talk; sets status scheduled. null unschedules it.",
            example="2026-03-18",
            format="date",
        ),
    )
