"""Talk submissions: the fields, their rules, the status lifecycle and scheduling."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from attrs import asdict, evolve, field, frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.mode import Mode
from connect.domain.requests.rules import UNSET, Unset
from connect.domain.shapes import describe

if TYPE_CHECKING:
    from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch

NAME_MAX: Final = 120
CONTEXT_MAX: Final = 8000
DISCORD_FIELD_MAX: Final = 200
SUBMITTER_NEEDED: Final = "is required when is_on_behalf is true"


class Status(StrEnum):
    PENDING = "pending"
    REVIEWING = "reviewing"
    ACCEPTED = "accepted"
    WAITLIST = "waitlist"
    DECLINED = "declined"
    SCHEDULED = "scheduled"


# What each field means and its limits, once: the request shapes' rules read them, and
# the OpenAPI document shows them for the bodies and the answers alike.
SPEAKER: Final = describe(
    "Who gives the talk.", example="Ferris Crab", minLength=1, maxLength=NAME_MAX
)
CONTEXT: Final = describe(
    "What the talk is about.",
    example="Zero-copy parsing with nom",
    minLength=1,
    maxLength=CONTEXT_MAX,
)
ON_BEHALF: Final = describe("Someone submits for the speaker.", example=False)
SUBMITTER: Final = describe("Who submits for the speaker (then required).", maxLength=NAME_MAX)
CHANNEL: Final = describe("A Discord channel id for the talk.", maxLength=DISCORD_FIELD_MAX)
INVITE: Final = describe(
    "A Discord invite link.",
    example="https://discord.gg/rust-nyc",
    format="uri",
    maxLength=DISCORD_FIELD_MAX,
    pattern="^https://",
)
STATUS: Final = describe(
    "Where the talk is in the lifecycle (docs/api.md).",
    example="scheduled",
    enum=[*map(str, Status)],
)
SCHEDULED_DATE: Final = describe(
    "The day of the talk: set exactly when scheduled (null unschedules).", example="2026-03-18"
)


# NOTE: the one statement of the lifecycle; the API refuses any other move and the
# organizer page offers exactly these (the single-submission answers carry them as
# ``allowed_transitions``). pending is only where a talk starts (no move leads back to
# it); a declined talk is reopened by reviewing it again; a scheduled talk may move to
# another date, but not back to review.
_MOVES: Final = frozenset(Status) - {Status.PENDING}
TRANSITIONS: Final[Mapping[Status, frozenset[Status]]] = {
    Status.PENDING: _MOVES,
    Status.REVIEWING: _MOVES - {Status.REVIEWING},
    Status.ACCEPTED: _MOVES - {Status.ACCEPTED},
    Status.WAITLIST: _MOVES - {Status.WAITLIST},
    Status.DECLINED: frozenset({Status.REVIEWING}),
    Status.SCHEDULED: _MOVES - {Status.REVIEWING},
}


def allowed_transitions(status: Status) -> Sequence[Status]:
    """The statuses a talk in ``status`` may be moved to, in lifecycle order.

    ``scheduled`` in the answer means "may be given a date" (for a scheduled talk: a
    new date). Staying where it is is always allowed and is not a move.
    """
    return tuple(s for s in Status if s in TRANSITIONS[status])


@frozen
class NewSubmission:
    """A validated submission that storage has not numbered yet."""

    speaker_name: str
    talk_context: str
    is_on_behalf: bool
    submitter_name: str | None
    mode: Mode
    created_at: datetime
    discord_channel_id: str | None = None
    discord_invite_link: str | None = None


@frozen
class Submission:
    """A stored talk submission.

    Invariant: ``status is SCHEDULED`` exactly when ``scheduled_date`` is set.
    ``schedule_sequence`` counts reschedules (the ICS ``SEQUENCE``).
    """

    id: int = field(metadata=describe("The submission's number.", example=42, minimum=1))
    speaker_name: str = field(metadata=SPEAKER)
    talk_context: str = field(metadata=CONTEXT)
    is_on_behalf: bool = field(metadata=ON_BEHALF)
    submitter_name: str | None = field(metadata=SUBMITTER)
    discord_channel_id: str | None = field(metadata=CHANNEL)
    discord_invite_link: str | None = field(metadata=INVITE)
    status: Status = field(metadata=STATUS)
    scheduled_date: date | None = field(metadata=SCHEDULED_DATE)
    mode: Mode
    created_at: datetime
    updated_at: datetime
    schedule_sequence: int = 0

    @classmethod
    def from_new(cls, new: NewSubmission, id: int) -> Submission:
        fields = asdict(new, recurse=False)
        return cls(
            id=id, status=Status.PENDING, scheduled_date=None, updated_at=new.created_at, **fields
        )


@frozen
class Change:
    """The outcome of a patch: the new submission and what happened to it."""

    submission: Submission
    changed: bool
    scheduled: bool


def new_submission(fields: SubmissionFields, *, mode: Mode, now: datetime) -> NewSubmission:
    """A new submission of the given (already checked) fields, in ``mode``, at ``now``."""
    return NewSubmission(**asdict(fields, recurse=False), mode=mode, created_at=now)


def apply_patch(current: Submission, patch: SubmissionPatch, *, now: datetime) -> Change:
    """Apply a partial update, keeping the status/scheduled_date invariant.

    - A ``scheduled_date`` makes the talk ``scheduled``; a new or different date is a
      (re)schedule, which bumps ``schedule_sequence``.
    - ``scheduled_date: null`` unschedules it (status ``accepted`` unless one is given).
    - A status other than ``scheduled`` clears the date; ``scheduled`` needs a date.
    - The status moves only along ``allowed_transitions`` (the lifecycle).
    - A talk on behalf of its speaker needs a submitter.

    Raises:
        ValidationFailed: the fields contradict each other or the lifecycle.
    """
    values = {
        name: value
        for name, value in asdict(patch, recurse=False).items()
        if value is not UNSET and name not in ("status", "scheduled_date")
    }
    errors: list[FieldError] = []
    on_behalf = values.get("is_on_behalf", current.is_on_behalf)
    if on_behalf and values.get("submitter_name", current.submitter_name) is None:
        message = "is required" if "submitter_name" in values else SUBMITTER_NEEDED
        errors.append(FieldError("submitter_name", message))
    status, scheduled_date = _lifecycle(errors, current, patch)
    if not errors and status is not current.status and status not in TRANSITIONS[current.status]:
        field = "scheduled_date" if patch.status is UNSET else "status"
        allowed = ", ".join(allowed_transitions(current.status))
        move = f"a {current.status.value} talk cannot become {status.value}"
        errors.append(FieldError(field, f"{move} (allowed: {allowed})"))
    if errors:
        raise ValidationFailed(errors)
    rescheduled = scheduled_date is not None and scheduled_date != current.scheduled_date
    sequence = current.schedule_sequence + (
        1 if rescheduled and current.scheduled_date is not None else 0
    )
    candidate = evolve(
        current, **values, status=status, scheduled_date=scheduled_date, schedule_sequence=sequence
    )
    changed = candidate != current
    if changed:
        candidate = evolve(candidate, updated_at=now)
    return Change(submission=candidate, changed=changed, scheduled=rescheduled)


def _lifecycle(
    errors: list[FieldError], current: Submission, patch: SubmissionPatch
) -> tuple[Status, date | None]:
    """The status and date a patch asks for, with any contradiction between them."""
    requested = None if isinstance(patch.status, Unset) else patch.status
    given = patch.scheduled_date
    if isinstance(given, date):
        if requested not in (None, Status.SCHEDULED):
            message = "must be scheduled (or omitted) with a scheduled_date"
            errors.append(FieldError("status", message))
        return Status.SCHEDULED, given
    if isinstance(given, Unset) and requested is None:
        return current.status, current.scheduled_date
    keeps_date = isinstance(given, Unset) and requested is Status.SCHEDULED
    kept = current.scheduled_date if keeps_date else None
    if requested is Status.SCHEDULED and kept is None:
        errors.append(FieldError("status", "scheduled needs a scheduled_date"))
    unscheduled = Status.ACCEPTED if current.status is Status.SCHEDULED else current.status
    return requested or unscheduled, kept
