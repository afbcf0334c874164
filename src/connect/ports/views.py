"""Read models: pages rendered by storage itself, for the hottest read paths.

The write side goes through domain objects; a list page only shows stored documents,
so storage may render them directly (cosmicpython's "views"). Each adapter's output
must equal ``domain.representation.submission_document`` of the same rows; a
contract test holds them to it.
"""

from __future__ import annotations

from typing import Protocol

from connect.domain.pagination import JsonPage
from connect.domain.submission_query import SubmissionQuery


class SubmissionViews(Protocol):
    def page(self, query: SubmissionQuery, *, limit: int, before: int | None = None) -> JsonPage:
        """The same rows as ``SubmissionStore.list``, as a JSON array of documents."""
        ...
