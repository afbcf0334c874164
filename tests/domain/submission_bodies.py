"""Submission bodies as the API reads them: structured into a shape, then the domain's
rules. Lets the domain's tests speak in JSON bodies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from connect.adapters.http.structure import Members, structure
from connect.domain import submissions
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch


def new_submission(
    body: Mapping[str, Any], *, mode: Mode, now: datetime, members: Members | None = None
) -> submissions.NewSubmission:
    fields = structure(body, SubmissionFields, members)
    return submissions.new_submission(fields, mode=mode, now=now)


def apply_patch(
    current: submissions.Submission, body: Mapping[str, Any], *, now: datetime
) -> submissions.Change:
    return submissions.apply_patch(current, structure(body, SubmissionPatch), now=now)
