"""The public shape of a submission: one definition for the API, exports and events.

``DOCUMENT_FIELDS`` is the one ordered list of a submission's public fields; the JSON
document, the CSV columns and the SQLite read model's stored document all follow it.
"""

from __future__ import annotations

from operator import attrgetter
from types import NoneType
from typing import Any, Final, get_args

from attrs import Attribute, fields, resolve_types

from connect.domain.shapes import spelling
from connect.domain.submissions import Submission

# NOTE: schedule_sequence is the calendar's SEQUENCE, told to calendar apps only; every
# other field of a submission is public, in the order the class declares them.
_INTERNAL: Final = frozenset({"schedule_sequence"})
DOCUMENT_ATTRIBUTES: Final[tuple[Attribute[Any], ...]] = tuple(
    a for a in fields(resolve_types(Submission)) if a.name not in _INTERNAL
)
DOCUMENT_FIELDS: Final = tuple(a.name for a in DOCUMENT_ATTRIBUTES)


def value_type(attribute: Attribute[Any]) -> type:
    """The type of a field's values, ``None`` aside (``date | None`` -> ``date``)."""
    (kind,) = [t for t in get_args(attribute.type) if t is not NoneType] or [attribute.type]
    return kind  # type: ignore[no-any-return]


_READ: Final = attrgetter(*DOCUMENT_FIELDS)
_SPELLED: Final = tuple(
    (at, spell)
    for at, a in enumerate(DOCUMENT_ATTRIBUTES)
    if (spell := spelling(value_type(a))) is not None
)


def submission_document(submission: Submission) -> dict[str, Any]:
    """The submission resource as JSON-ready values (docs/design.md section 3): the
    ``DOCUMENT_FIELDS`` in order, times as ``format_instant`` spells them, dates ISO,
    enums by value."""
    # NOTE: the fields are read and paired in C; only the few that need spelling are
    # touched in Python (this runs for every row of a JSON export).
    values = list(_READ(submission))
    for at, spell in _SPELLED:
        if values[at] is not None:
            values[at] = spell(values[at])
    return dict(zip(DOCUMENT_FIELDS, values, strict=True))
