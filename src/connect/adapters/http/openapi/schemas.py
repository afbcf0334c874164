"""The component schemas, all assembled: the generated ones, the events', the problems'
and the pages of lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from attrs import field, make_class

from connect.adapters.http.openapi.documents import WALKER, document_schemas
from connect.adapters.http.openapi.event_schemas import event_schemas
from connect.adapters.http.openapi.json_schema import Schema
from connect.adapters.http.problem_types import ProblemDocument, ProblemWithError
from connect.adapters.http.problems import problem_for, with_error_member
from connect.domain.errors import ValidationFailed
from connect.domain.pagination import MAX_LIMIT
from connect.domain.shapes import describe
from connect.domain.submissions import Submission
from connect.presentation.audit import AuditEntryDocument
from connect.presentation.keys import KeyDocument
from connect.presentation.webhooks import DeliveryDocument, WebhookDocument


def _problems() -> dict[str, Schema]:
    """The problem bodies, each with an example the code answers with: a 422."""
    plain = problem_for(ValidationFailed.single("speaker_name", "is required"))
    form = problem_for(ValidationFailed.single("speakerName", "must not be blank"))
    return {
        "Problem": {**WALKER.component(ProblemDocument), "examples": [plain.to_dict()]},
        "ProblemWithError": {
            **WALKER.component(ProblemWithError),
            "examples": [with_error_member(form.to_dict())],
        },
    }


#: The lists: each page's component name, and the class of its items.
PAGES: Final[Mapping[str, type]] = {
    "SubmissionList": Submission,
    "KeyList": KeyDocument,
    "WebhookList": WebhookDocument,
    "DeliveryList": DeliveryDocument,
    "AuditList": AuditEntryDocument,
}
_NEXT: Final = describe(
    f"Pass as ?cursor= for the next page; null on the last. limit is 1..{MAX_LIMIT}."
)


def page_of(item: type) -> type:
    """The shape of a page of a list of ``item``: its items and the next page's cursor."""
    # NOTE: a class made at run time: its field types are values mypy cannot check.
    fields = {
        "data": field(type=tuple[item, ...]),  # type: ignore[valid-type]
        "next_cursor": field(type=str | None, metadata=_NEXT),  # type: ignore[arg-type]
    }
    doc = "A page of a list: its items and the next page's cursor."
    return make_class(f"PageOf{item.__name__}", fields, class_body={"__doc__": doc}, frozen=True)


def schemas() -> dict[str, Schema]:
    return {
        **document_schemas(),
        **event_schemas(),
        **_problems(),
        **{name: WALKER.component(page_of(item)) for name, item in PAGES.items()},
    }
