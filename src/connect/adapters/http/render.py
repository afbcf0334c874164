"""JSON shapes of resources, from one cattrs converter."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from connect.domain.keys import ApiKey, Scope
from connect.domain.pagination import JsonPage, Page
from connect.domain.representation import submission_document
from connect.domain.submissions import Submission
from connect.domain.time import format_instant

T = TypeVar("T")


def make_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, format_instant)
    converter.register_unstructure_hook(Enum, lambda e: e.value)
    converter.register_unstructure_hook_func(
        lambda t: t == frozenset[Scope], lambda s: sorted(x.value for x in s)
    )
    converter.register_unstructure_hook(Submission, submission_document)
    converter.register_unstructure_hook(
        ApiKey, make_dict_unstructure_fn(ApiKey, converter, key_hash=override(omit=True))
    )
    return converter


CONVERTER = make_converter()


def document(value: object) -> Any:
    """The JSON-ready form of a domain value."""
    return CONVERTER.unstructure(value)


def page_document(page: Page[T], render: Callable[[T], Any] = document) -> dict[str, Any]:
    return {"data": [render(item) for item in page.items], "next_cursor": page.next_cursor}


def json_page(page: JsonPage) -> str:
    """A list response around items that storage already rendered."""
    return f'{{"data": {page.items_json}, "next_cursor": {json.dumps(page.next_cursor)}}}'


def list_document(items: Iterable[T], render: Callable[[T], Any] = document) -> dict[str, Any]:
    return {"data": [render(item) for item in items], "next_cursor": None}
