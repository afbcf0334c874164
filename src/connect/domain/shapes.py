"""Field metadata for shapes: one description per field, read by the OpenAPI walker."""

from __future__ import annotations

from typing import Any


def describe(description: str, *, example: Any = None, **schema: Any) -> dict[str, Any]:
    """Metadata for ``attrs.field``: what the field means, an example, and the JSON
    Schema keywords (``maxLength``, ``pattern``, ``format``, ``minimum``...) that the
    field's validator enforces, stated once beside it."""
    meta: dict[str, Any] = {"description": description, "schema": dict(schema)}
    if example is not None:
        meta["example"] = example
    return meta
