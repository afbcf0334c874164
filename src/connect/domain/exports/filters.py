"""The filters of the CSV and JSON exports: ``since`` and ``status``."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from attrs import frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.submissions import Status
from connect.domain.time import parse_since

STATUS_CHOICES: Final = {
    "all": None,
    "pending": frozenset({Status.PENDING}),
    "scheduled": frozenset({Status.SCHEDULED}),
}


@frozen
class ExportFilter:
    """Which submissions an export holds.

    ``statuses`` ``None`` means every status; ``since`` ``None`` means any creation time.
    """

    statuses: frozenset[Status] | None = None
    since: datetime | None = None

    @property
    def key(self) -> str:
        """A canonical spelling of the filter, for entity tags."""
        statuses = ",".join(sorted(self.statuses)) if self.statuses is not None else "all"
        since = self.since.isoformat() if self.since is not None else ""
        return f"status={statuses};since={since}"


SCHEDULED_ONLY: Final = ExportFilter(statuses=frozenset({Status.SCHEDULED}))


def parse_export_filter(since: str | None, status: str | None) -> ExportFilter:
    """Read the ``since`` and ``status`` filters as given on a URL or the command line.

    Args:
        since: an ISO 8601 date or datetime, compared with ``created_at``; blank is none.
        status: ``pending``, ``scheduled`` or ``all`` (the default); blank is ``all``.

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
        if status.strip() not in STATUS_CHOICES:
            errors.append(FieldError("status", "must be one of: pending, scheduled, all"))
        else:
            statuses = STATUS_CHOICES[status.strip()]
    if errors:
        raise ValidationFailed(errors)
    return ExportFilter(statuses=statuses, since=moment)
