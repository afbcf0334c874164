"""Field metadata for shapes: one description per field, read by the OpenAPI walker."""

from __future__ import annotations

from typing import Any


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
