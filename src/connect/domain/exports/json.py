"""Submissions as one JSON array of the API's submission objects, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Final

from connect.domain.representation import submission_document
from connect.domain.submissions import Submission

ROWS_PER_CHUNK: Final = 200


def json_chunks(
    submissions: Iterable[Submission], *, rows_per_chunk: int = ROWS_PER_CHUNK
) -> Iterator[str]:
    """``[`` then the submission objects, one per line, comma separated, then ``]``.

    Each object is exactly ``submission_document``: the shape the read API returns.
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts: list[str] = ["["]
    separator = "\n"
    for submission in submissions:
        parts.append(separator)
        parts.append(encode(submission_document(submission)))
        separator = ",\n"
        if len(parts) >= 2 * rows_per_chunk:
            yield "".join(parts)
            parts.clear()
    parts.append("\n]\n")
    yield "".join(parts)
