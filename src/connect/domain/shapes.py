"""Shapes: attrs classes whose fields say what a document holds. ``describe`` gives a
field its description (read by the OpenAPI walker); ``plain`` renders a shape as JSON."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
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


def plain(value: Any) -> Any:
    """``value`` as JSON-ready values: a shape's fields in the order it declares them
    (nested shapes likewise), instants as ``format_instant`` spells them, enums by value.
    Anything else (already JSON-ready) is kept as it is."""
    if attrs.has(type(value)):
        return {a.name: plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, Enum):
        return value.value
    return value
