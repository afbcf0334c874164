"""Which submissions a list, a page, an export or a fingerprint reads: one value.

Every store translates ``SubmissionQuery.matches`` into its own terms; a contract
suite holds each of them to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from attrs import field, frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.mode import Mode
from connect.domain.submissions import Status, Submission
from connect.domain.time import parse_since

SEARCH_MAX: Final = 200
# NOTE: the list accepts any status; exports offer the two a spreadsheet or a programme
# needs. Each table's order is the order its error message lists the choices in.
LIST_STATUSES: Final[Mapping[str, frozenset[Status] | None]] = {
    "all": None,
    **{s.value: frozenset({s}) for s in Status},
}
EXPORT_STATUSES: Final[Mapping[str, frozenset[Status] | None]] = {
    "pending": frozenset({Status.PENDING}),
    "scheduled": frozenset({Status.SCHEDULED}),
    "all": None,
}


def fold(text: str) -> str:
    """Text as search compares it: Unicode case-folded (``"Émile"`` -> ``"émile"``)."""
    return text.casefold()


def _statuses(_: object, attribute: Any, value: frozenset[Status] | None) -> None:
    if value is not None and not (
        isinstance(value, frozenset) and all(isinstance(s, Status) for s in value)
    ):
        raise ValueError(f"{attribute.name} must be a frozenset of Status or None")


def _aware(_: object, attribute: Any, value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{attribute.name} must be an aware datetime")


def _search(_: object, attribute: Any, value: str | None) -> None:
    if value is not None and not (value.strip() == value and 0 < len(value) <= SEARCH_MAX):
        raise ValueError(f"{attribute.name} must be trimmed, 1 to {SEARCH_MAX} characters")


@frozen
class SubmissionQuery:
    """The submissions of one mode, narrowed by status, creation time and search text.

    Attributes:
        mode: live or test; a query never crosses modes.
        statuses: the statuses kept; ``None`` keeps every status.
        since: kept when created at or after it; ``None`` is any time.
        search: trimmed text the speaker's name or the talk contains, ignoring case
            (compared folded, see ``fold``); ``None`` is no search.
    """

    mode: Mode
    statuses: frozenset[Status] | None = field(default=None, validator=_statuses)
    since: datetime | None = field(default=None, validator=_aware)
    search: str | None = field(default=None, validator=_search)

    @classmethod
    def parse(
        cls,
        mode: Mode,
        *,
        status: str | None = None,
        since: str | None = None,
        q: str | None = None,
        choices: Mapping[str, frozenset[Status] | None] = LIST_STATUSES,
    ) -> SubmissionQuery:
        """Read the ``status``, ``since`` and ``q`` filters as given on a URL or the
        command line; a blank filter is no filter.

        Args:
            status: a key of ``choices`` (``LIST_STATUSES`` or ``EXPORT_STATUSES``).
            since: an ISO 8601 date (midnight UTC) or datetime, compared with
                ``created_at``.
            q: at most ``SEARCH_MAX`` characters once trimmed.

        Raises:
            ValidationFailed: with a problem for each bad filter.
        """
        errors: list[FieldError] = []
        moment: datetime | None = None
        if since is not None and since.strip():
            try:
                moment = parse_since(since)
            except ValidationFailed as error:
                errors.extend(error.errors)
        statuses: frozenset[Status] | None = None
        if status is not None and status.strip():
            if status.strip() in choices:
                statuses = choices[status.strip()]
            else:
                errors.append(FieldError("status", f"must be one of: {', '.join(choices)}"))
        search = q.strip() if q is not None and q.strip() else None
        if search is not None and len(search) > SEARCH_MAX:
            errors.append(FieldError("q", f"must be at most {SEARCH_MAX} characters"))
        if errors:
            raise ValidationFailed(errors)
        return cls(mode, statuses, moment, search)

    @property
    def folded_search(self) -> str | None:
        """``search`` as stores compare it (see ``fold``)."""
        return fold(self.search) if self.search is not None else None

    @property
    def key(self) -> str:
        """A canonical spelling of the filters (not the mode), for entity tags."""
        statuses = ",".join(sorted(self.statuses)) if self.statuses is not None else "all"
        since = self.since.isoformat() if self.since is not None else ""
        searched = f";q={self.search}" if self.search is not None else ""
        return f"status={statuses};since={since}{searched}"

    def matches(self, submission: Submission) -> bool:
        """Whether ``submission`` is one this query reads (the definition stores follow)."""
        return (
            submission.mode is self.mode
            and (self.statuses is None or submission.status in self.statuses)
            and (self.since is None or submission.created_at >= self.since)
            and (self.search is None or matches_search(submission, fold(self.search)))
        )


def matches_search(submission: Submission, folded: str) -> bool:
    """Whether the folded search text occurs in the speaker's name or the talk."""
    return folded in fold(submission.speaker_name) or folded in fold(submission.talk_context)
