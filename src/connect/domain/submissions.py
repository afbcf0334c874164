"""Talk submissions: the fields, their rules, the status lifecycle and scheduling."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from attrs import evolve, fields, frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.fields import unknown_fields
from connect.domain.mode import Mode

NAME_MAX: Final = 120
CONTEXT_MAX: Final = 8000
DISCORD_FIELD_MAX: Final = 200


class Status(StrEnum):
    PENDING = "pending"
    REVIEWING = "reviewing"
    ACCEPTED = "accepted"
    WAITLIST = "waitlist"
    DECLINED = "declined"
    SCHEDULED = "scheduled"


# NOTE: the one statement of the lifecycle; the API refuses any other move and the
# organizer page offers exactly these (the single-submission answers carry them as
# ``allowed_transitions``). pending is only where a talk starts; a declined talk is
# reopened by reviewing it again; a scheduled talk may move to another date.
TRANSITIONS: Final[Mapping[Status, frozenset[Status]]] = {
    Status.PENDING: frozenset(
        {Status.REVIEWING, Status.ACCEPTED, Status.WAITLIST, Status.DECLINED, Status.SCHEDULED}
    ),
    Status.REVIEWING: frozenset(
        {Status.ACCEPTED, Status.WAITLIST, Status.DECLINED, Status.SCHEDULED}
    ),
    Status.ACCEPTED: frozenset(
        {Status.REVIEWING, Status.WAITLIST, Status.DECLINED, Status.SCHEDULED}
    ),
    Status.WAITLIST: frozenset(
        {Status.REVIEWING, Status.ACCEPTED, Status.DECLINED, Status.SCHEDULED}
    ),
    Status.DECLINED: frozenset({Status.REVIEWING}),
    Status.SCHEDULED: frozenset(
        {Status.SCHEDULED, Status.ACCEPTED, Status.WAITLIST, Status.DECLINED}
    ),
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


# NOTE: the mode comes from the caller's key and the time from the clock, never a body.
CREATABLE: Final = frozenset(f.name for f in fields(NewSubmission)) - {"mode", "created_at"}


@frozen
class Submission:
    """A stored talk submission.

    Invariant: ``status is SCHEDULED`` exactly when ``scheduled_date`` is set.
    ``schedule_sequence`` counts reschedules (the ICS ``SEQUENCE``).
    """

    id: int
    speaker_name: str
    talk_context: str
    is_on_behalf: bool
    submitter_name: str | None
    discord_channel_id: str | None
    discord_invite_link: str | None
    status: Status
    scheduled_date: date | None
    mode: Mode
    created_at: datetime
    updated_at: datetime
    schedule_sequence: int = 0

    @classmethod
    def from_new(cls, new: NewSubmission, id: int) -> Submission:
        return cls(
            id=id,
            speaker_name=new.speaker_name,
            talk_context=new.talk_context,
            is_on_behalf=new.is_on_behalf,
            submitter_name=new.submitter_name,
            discord_channel_id=new.discord_channel_id,
            discord_invite_link=new.discord_invite_link,
            status=Status.PENDING,
            scheduled_date=None,
            mode=new.mode,
            created_at=new.created_at,
            updated_at=new.created_at,
        )


def _refuse_illegal_move(
    errors: list[FieldError], field: str, current: Submission, status: Status
) -> None:
    if status is current.status or status in TRANSITIONS[current.status]:
        return
    allowed = ", ".join(s.value for s in allowed_transitions(current.status))
    errors.append(
        FieldError(
            field,
            f"a {current.status.value} talk cannot become {status.value} (allowed: {allowed})",
        )
    )


# --- field rules -------------------------------------------------------------------


def _text(
    errors: list[FieldError], field: str, value: object, maximum: int, *, required: bool
) -> str | None:
    if value is None:
        if required:
            errors.append(FieldError(field, "is required"))
        return None
    if not isinstance(value, str):
        errors.append(FieldError(field, "must be a string"))
        return None
    trimmed = value.strip()
    if not trimmed:
        if required:
            errors.append(FieldError(field, "must not be blank"))
        return None
    if len(trimmed) > maximum:
        errors.append(FieldError(field, f"must be at most {maximum} characters after trimming"))
        return None
    if "\x00" in trimmed:
        # NOTE: no reader shows it, and PostgreSQL text cannot hold it: refused on every
        # engine alike, so moving a database never meets one.
        errors.append(FieldError(field, "must not contain the NUL character"))
        return None
    return trimmed


def _bool(errors: list[FieldError], field: str, value: object) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        errors.append(FieldError(field, "must be true or false"))
        return False
    return value


def _invite_link(errors: list[FieldError], value: object) -> str | None:
    link = _text(errors, "discord_invite_link", value, DISCORD_FIELD_MAX, required=False)
    if link is not None and not link.startswith("https://"):
        errors.append(FieldError("discord_invite_link", "must be an https:// URL"))
        return None
    return link


def new_submission(
    fields: Mapping[str, Any],
    *,
    mode: Mode,
    now: datetime,
    field_names: Mapping[str, str] | None = None,
) -> NewSubmission:
    """Validate the fields of a new submission.

    Args:
        fields: snake_case field values as received (``speaker_name``, ``talk_context``,
            ``is_on_behalf``, ``submitter_name``, optional discord fields).
        mode: the mode of the caller's key (the public form is always live).
        now: the creation time.
        field_names: how to name fields in errors (the public form uses camelCase).

    Raises:
        ValidationFailed: with every field problem at once, unknown fields included.
    """
    names = dict(field_names or {})
    errors = unknown_fields(fields, CREATABLE)
    speaker = _text(errors, "speaker_name", fields.get("speaker_name"), NAME_MAX, required=True)
    context = _text(errors, "talk_context", fields.get("talk_context"), CONTEXT_MAX, required=True)
    on_behalf = _bool(errors, "is_on_behalf", fields.get("is_on_behalf"))
    submitter = _text(
        errors, "submitter_name", fields.get("submitter_name"), NAME_MAX, required=on_behalf
    )
    channel = _text(
        errors,
        "discord_channel_id",
        fields.get("discord_channel_id"),
        DISCORD_FIELD_MAX,
        required=False,
    )
    invite = _invite_link(errors, fields.get("discord_invite_link"))
    if errors:
        raise ValidationFailed([FieldError(names.get(e.field, e.field), e.message) for e in errors])
    assert speaker is not None and context is not None
    return NewSubmission(
        speaker_name=speaker,
        talk_context=context,
        is_on_behalf=on_behalf,
        submitter_name=submitter if on_behalf or submitter else None,
        mode=mode,
        created_at=now,
        discord_channel_id=channel,
        discord_invite_link=invite,
    )


# NOTE: a caller may change what it could give at creation, and move the lifecycle.
PATCHABLE: Final = CREATABLE | {"status", "scheduled_date"}


@frozen
class Change:
    """The outcome of a patch: the new submission and what happened to it."""

    submission: Submission
    changed: bool
    scheduled: bool


def apply_patch(current: Submission, patch: Mapping[str, Any], *, now: datetime) -> Change:
    """Apply a partial update, keeping the status/scheduled_date invariant.

    - A ``scheduled_date`` makes the talk ``scheduled``; a new or different date is a
      (re)schedule, which bumps ``schedule_sequence``.
    - ``scheduled_date: null`` unschedules it (status ``accepted`` unless one is given).
    - A status other than ``scheduled`` clears the date; ``scheduled`` needs a date.
    - The status moves only along ``allowed_transitions`` (the lifecycle).

    Raises:
        ValidationFailed: unknown fields, bad values or a contradictory status.
    """
    errors = unknown_fields(patch, PATCHABLE)
    values: dict[str, Any] = {}
    text_rules = {"speaker_name": NAME_MAX, "talk_context": CONTEXT_MAX}
    for name, maximum in text_rules.items():
        if name in patch:
            values[name] = _text(errors, name, patch[name], maximum, required=True)
    if "discord_channel_id" in patch:
        values["discord_channel_id"] = _text(
            errors,
            "discord_channel_id",
            patch["discord_channel_id"],
            DISCORD_FIELD_MAX,
            required=False,
        )
    if "discord_invite_link" in patch:
        values["discord_invite_link"] = _invite_link(errors, patch["discord_invite_link"])
    on_behalf = current.is_on_behalf
    if "is_on_behalf" in patch:
        if patch["is_on_behalf"] is None:
            errors.append(FieldError("is_on_behalf", "must be true or false"))
        on_behalf = _bool(errors, "is_on_behalf", patch["is_on_behalf"])
        values["is_on_behalf"] = on_behalf
    if "submitter_name" in patch:
        values["submitter_name"] = _text(
            errors, "submitter_name", patch["submitter_name"], NAME_MAX, required=on_behalf
        )
    elif on_behalf and current.submitter_name is None:
        errors.append(FieldError("submitter_name", "is required when is_on_behalf is true"))

    status = current.status
    scheduled_date = current.scheduled_date
    requested_status: Status | None = None
    if "status" in patch:
        try:
            requested_status = Status(patch["status"])
        except ValueError:
            allowed = ", ".join(s.value for s in Status)
            errors.append(FieldError("status", f"must be one of: {allowed}"))
    if "scheduled_date" in patch:
        raw = patch["scheduled_date"]
        if raw is None:
            scheduled_date = None
            if requested_status is Status.SCHEDULED:
                errors.append(FieldError("status", "scheduled needs a scheduled_date"))
            status = requested_status or (
                Status.ACCEPTED if current.status is Status.SCHEDULED else current.status
            )
        else:
            try:
                if not isinstance(raw, str):
                    raise ValueError
                scheduled_date = date.fromisoformat(raw)
                status = Status.SCHEDULED
                if requested_status not in (None, Status.SCHEDULED):
                    errors.append(
                        FieldError("status", "must be scheduled (or omitted) with a scheduled_date")
                    )
            except ValueError:
                errors.append(FieldError("scheduled_date", "must be an ISO date like 2026-03-18"))
    elif requested_status is not None:
        if requested_status is Status.SCHEDULED and current.scheduled_date is None:
            errors.append(FieldError("status", "scheduled needs a scheduled_date"))
        status = requested_status
        if requested_status is not Status.SCHEDULED:
            scheduled_date = None
    if not errors:
        field = "status" if "status" in patch else "scheduled_date"
        _refuse_illegal_move(errors, field, current, status)
    if errors:
        raise ValidationFailed(errors)

    if not on_behalf and "submitter_name" not in patch and "is_on_behalf" in patch:
        values["submitter_name"] = current.submitter_name
    rescheduled = scheduled_date is not None and scheduled_date != current.scheduled_date
    sequence = current.schedule_sequence + (
        1 if rescheduled and current.scheduled_date is not None else 0
    )
    candidate = evolve(
        current,
        **values,
        status=status,
        scheduled_date=scheduled_date,
        schedule_sequence=sequence,
    )
    changed = candidate != current
    if changed:
        candidate = evolve(candidate, updated_at=now)
    return Change(submission=candidate, changed=changed, scheduled=rescheduled)
