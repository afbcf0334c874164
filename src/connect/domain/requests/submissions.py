"""The bodies that create and change a talk submission."""

from __future__ import annotations

from datetime import date

from attrs import field, frozen

from connect.domain.errors import ValidationFailed
from connect.domain.requests.rules import (
    UNSET,
    Unset,
    flag,
    https_link,
    iso_date,
    required_text,
    text,
    unless_unset,
)
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


# NOTE: one named function per field: mypy's attrs plugin reads a converter's types
# only from a named function.
def _speaker(value: object) -> str:
    return required_text("speaker_name", value, NAME_MAX)


def _context(value: object) -> str:
    return required_text("talk_context", value, CONTEXT_MAX)


def _on_behalf(value: object) -> bool:
    return flag("is_on_behalf", value, null=False)


def _submitter(value: object) -> str | None:
    return text("submitter_name", value, NAME_MAX)


def _channel(value: object) -> str | None:
    return text("discord_channel_id", value, DISCORD_FIELD_MAX)


def _invite(value: object) -> str | None:
    return https_link("discord_invite_link", value, DISCORD_FIELD_MAX)


def _new_speaker(value: object) -> str | Unset:
    return unless_unset(_speaker, value)


def _new_context(value: object) -> str | Unset:
    return unless_unset(_context, value)


def _new_on_behalf(value: object) -> bool | Unset:
    return value if value is UNSET else flag("is_on_behalf", value)


def _new_submitter(value: object) -> str | Unset | None:
    return unless_unset(_submitter, value)


def _new_channel(value: object) -> str | Unset | None:
    return unless_unset(_channel, value)


def _new_invite(value: object) -> str | Unset | None:
    return unless_unset(_invite, value)


def _new_date(value: object) -> date | Unset | None:
    return value if value is UNSET else iso_date("scheduled_date", value)


def _new_status(value: object) -> Status | Unset:
    return unless_unset(_status, value)


def _status(value: object) -> Status:
    if isinstance(value, str):
        try:
            return Status(value)
        except ValueError:
            pass
    allowed = ", ".join(s.value for s in Status)
    raise ValidationFailed.single("status", f"must be one of: {allowed}")


@frozen
class SubmissionFields:
    """A new submission as a speaker or an API client gives it (the mode comes from the
    caller's key and the time from the clock, never a body)."""

    speaker_name: str = field(converter=_speaker, metadata=_SPEAKER)
    talk_context: str = field(converter=_context, metadata=_CONTEXT)
    is_on_behalf: bool = field(default=False, converter=_on_behalf, metadata=_ON_BEHALF)
    submitter_name: str | None = field(default=None, converter=_submitter, metadata=_SUBMITTER)
    discord_channel_id: str | None = field(default=None, converter=_channel, metadata=_CHANNEL)
    discord_invite_link: str | None = field(default=None, converter=_invite, metadata=_INVITE)

    def __attrs_post_init__(self) -> None:
        if self.is_on_behalf and self.submitter_name is None:
            raise ValidationFailed.single("submitter_name", "is required")


@frozen
class SubmissionPatch:
    """A partial change: what a caller could give at creation, and the lifecycle
    (``status``, ``scheduled_date``). A field left out stays as it is (``UNSET``)."""

    speaker_name: str | Unset = field(default=UNSET, converter=_new_speaker, metadata=_SPEAKER)
    talk_context: str | Unset = field(default=UNSET, converter=_new_context, metadata=_CONTEXT)
    is_on_behalf: bool | Unset = field(
        default=UNSET,
        converter=_new_on_behalf,
        metadata=_ON_BEHALF,
    )
    submitter_name: str | Unset | None = field(
        default=UNSET, converter=_new_submitter, metadata=_SUBMITTER
    )
    discord_channel_id: str | Unset | None = field(
        default=UNSET, converter=_new_channel, metadata=_CHANNEL
    )
    discord_invite_link: str | Unset | None = field(
        default=UNSET, converter=_new_invite, metadata=_INVITE
    )
    status: Status | Unset = field(
        default=UNSET,
        converter=_new_status,
        metadata=describe(
            "Where the talk is in the lifecycle.",
            example="accepted",
            enum=[s.value for s in Status],
        ),
    )
    scheduled_date: date | Unset | None = field(
        default=UNSET,
        converter=_new_date,
        metadata=describe(
            "The day of the talk; sets status scheduled. null unschedules it.",
            example="2026-03-18",
            format="date",
        ),
    )
