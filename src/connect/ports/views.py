"""Read models: pages rendered by storage itself, for the hottest read paths.

The write side goes through domain objects; a list page only shows stored documents,
so storage may render them directly (cosmicpython's "views"). Each adapter's output
must equal ``domain.representation.submission_document`` of the same rows; a
contract test holds them to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from connect.domain.mode import Mode
from connect.domain.pagination import JsonPage
from connect.domain.submissions import Status


class SubmissionViews(Protocol):
    def page(
        self,
        mode: Mode,
        *,
        limit: int,
        before: int | None = None,
        statuses: frozenset[Status] | None = None,
        since: datetime | None = None,
        search: str | None = None,
    ) -> JsonPage:
        """The same rows as ``SubmissionStore.list``, as a JSON array of documents."""
        ...
