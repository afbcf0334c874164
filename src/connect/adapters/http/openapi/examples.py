"""Example values shown in the OpenAPI document and the docs page."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.openapi.documents import WALKER
from connect.adapters.http.openapi.json_schema import ref

# NOTE: made of the Submission fields' examples, as its component's example is.
SUBMISSION_EXAMPLE: Final = WALKER.example(ref("Submission"))
