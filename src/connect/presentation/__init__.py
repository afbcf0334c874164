"""What the HTTP API and the ``connect`` CLI show: domain values rendered as JSON-ready
documents (one cattrs converter) and as plain-text tables.

Both edges import it, so ``connect keys list --json`` and ``GET /api/v1/keys`` cannot
drift apart. It knows neither Falcon nor argparse: values in, dicts and strings out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import Any, Final, TypeVar, get_args, get_origin

import cattrs

from connect.domain.escaping import escape_controls
from connect.domain.keys import ApiKey
from connect.domain.metrics import SuccessMetrics
from connect.domain.pagination import JsonPage, Page
from connect.domain.recovery import Recovery
from connect.domain.representation import submission_document
from connect.domain.submissions import Submission, allowed_transitions
from connect.domain.time import format_instant
from connect.presentation.keys import KeyDocument
from connect.presentation.metrics import MetricsDocument
from connect.presentation.submissions import Moves
from connect.presentation.webhooks import RecoveryDocument

T = TypeVar("T")

#: The document that shows a domain value, wherever it is rendered: ``document(key)`` is
#: ``document(KeyDocument.of(key))``.
SHOWN_AS: Final[Mapping[type, Any]] = {
    ApiKey: KeyDocument,
    SuccessMetrics: MetricsDocument,
    Recovery: RecoveryDocument,
}


def _is_enum_set(kind: Any) -> bool:
    args = get_args(kind)
    return get_origin(kind) is frozenset and isinstance(args[0], type) and issubclass(args[0], Enum)


def make_converter() -> cattrs.Converter:
    """The converter that unstructures domain values into their API documents."""
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, format_instant)
    converter.register_unstructure_hook(Enum, lambda e: e.value)
    # NOTE: sets of enums (scopes, events) are sorted arrays: the same set, the same JSON.
    converter.register_unstructure_hook_func(
        _is_enum_set,
        lambda s: sorted(x.value for x in s),
    )
    converter.register_unstructure_hook(Submission, submission_document)
    converter.register_unstructure_hook_func(
        SHOWN_AS.__contains__,
        lambda value: converter.unstructure(SHOWN_AS[type(value)].of(value)),
    )
    return converter


CONVERTER = make_converter()


def document(value: object) -> Any:
    """The JSON-ready form of a domain value."""
    return CONVERTER.unstructure(value)


def page_document(page: Page[T], shape: Callable[[T], object] | None = None) -> dict[str, Any]:
    """A page of a list: its items rendered (as ``shape`` shows them, if given), and the
    cursor of the next page."""
    items = page.items if shape is None else [shape(item) for item in page.items]
    return {"data": [document(item) for item in items], "next_cursor": page.next_cursor}


def json_page(page: JsonPage) -> str:
    """A list response around items that storage already rendered."""
    return f'{{"data": {page.items_json}, "next_cursor": {json.dumps(page.next_cursor)}}}'


def list_document(items: Iterable[object]) -> dict[str, Any]:
    """A whole list, in the shape of a last page."""
    return {"data": [document(item) for item in items], "next_cursor": None}


def detail_document(submission: Submission) -> dict[str, Any]:
    """One submission as answered alone: its document and the lifecycle moves it has.

    NOTE: list pages are rendered by storage from stored documents and do not carry
    ``allowed_transitions``; a client about to move a talk reads or patches it first.
    """
    moves = Moves(tuple(allowed_transitions(submission.status)))
    return {**document(submission), **document(moves)}


def table(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """A plain-text table: upper-cased headers, left-aligned cells, ``(none)`` when
    empty. Every cell is escaped (``escape_controls``)."""
    # NOTE: names come from API callers; an ESC or bidi override in one must not
    # reach the operator's terminal as a control sequence.
    cells = [
        [("" if r.get(c) is None else escape_controls(str(r.get(c)))) for c in columns]
        for r in rows
    ]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([line.rstrip() for line in lines] + ([] if rows else ["(none)"]))
