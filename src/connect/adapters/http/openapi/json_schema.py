"""Small builders for JSON Schema 2020-12 values (OpenAPI 3.1 uses that dialect)."""

from __future__ import annotations

from typing import Any, Final

Schema = dict[str, Any]

INSTANT: Final[Schema] = {
    "type": "string",
    "format": "date-time",
    "description": "UTC, ISO 8601 with Z, second precision.",
    "examples": ["2026-02-06T13:57:40Z"],
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}
