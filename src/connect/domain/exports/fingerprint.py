"""Entity tags for exports: a cheap summary of the rows that says when they changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Final

from attrs import frozen

from connect.domain.time import format_instant

# NOTE: bump when any formatter's output changes, so clients holding an old entity
# tag fetch the new bytes instead of getting a 304 for content they never saw.
FORMAT_VERSION: Final = "exports-1"


@frozen
class Fingerprint:
    """What storage tells about a filtered set of submissions without reading it.

    Attributes:
        count: how many submissions match the filter.
        last_id: the highest matching id (``None`` when none match).
        last_updated_at: the latest ``updated_at`` of the mode's submissions, matching
            or not: a submission that leaves the filter is changed, so this moves too.
    """

    count: int
    last_id: int | None
    last_updated_at: datetime | None


def entity_tag(fingerprint: Fingerprint, parts: Iterable[str]) -> str:
    """An opaque, strong entity tag (without quotes) for an export's exact bytes.

    Args:
        fingerprint: the state of the rows.
        parts: everything else that shapes the bytes: format, mode, filter, settings.
    """
    last = fingerprint.last_updated_at
    text = "\n".join(
        [
            FORMAT_VERSION,
            *parts,
            str(fingerprint.count),
            str(fingerprint.last_id),
            format_instant(last) if last is not None else "",
        ]
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
