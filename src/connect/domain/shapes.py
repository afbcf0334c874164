"""Shapes: attrs classes whose fields say what a document holds. ``describe`` gives a
field its description (read by the OpenAPI walker); ``plain`` renders a shape as JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum, StrEnum
from operator import attrgetter
from typing import Any, TypeVar

import attrs

from connect.domain.time import format_instant

S = TypeVar("S")


def describe(
    description: str, *, example: Any = None, json_type: Any = None, **schema: Any
) -> dict[str, Any]:
    """Metadata for ``attrs.field``: what the field means, an example, and the JSON
    Schema keywords (``maxLength``, ``pattern``, ``format``, ``minimum``...) that the
    field's validator enforces, stated once beside it. ``json_type`` is the type of the
    field's JSON form when it is not the field's own (a datetime read from any ISO
    date or datetime string is ``str``)."""
    meta: dict[str, Any] = {"description": description, "schema": dict(schema)}
    if example is not None:
        meta["example"] = example
    if json_type is not None:
        meta["json_type"] = json_type
    return meta


def project(shape: type[S], value: object, **given: Any) -> S:
    """A ``shape`` whose fields are ``value``'s attributes of the same names, except the
    ones ``given``."""
    names = (a.name for a in attrs.fields(shape))  # type: ignore[arg-type]
    return shape(**{n: given[n] if n in given else getattr(value, n) for n in names})


def spelling(kind: type) -> Callable[[Any], Any] | None:
    """How values of ``kind`` are spelled in JSON; ``None`` when they already are."""
    if issubclass(kind, datetime):
        return format_instant
    if issubclass(kind, date):
        return date.isoformat
    if issubclass(kind, StrEnum):
        return str  # NOTE: a StrEnum's str() is its value, without enum's slow property
    if issubclass(kind, Enum):
        return attrgetter("value")
    return None


def plain(value: Any) -> Any:
    """``value`` as JSON-ready values: a shape's fields in the order it declares them
    (nested shapes likewise), others as ``spelling`` spells them."""
    if attrs.has(type(value)):
        return {a.name: plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    spell = spelling(type(value))
    return value if spell is None else spell(value)
