"""JSON Schemas of what organizers read: audit log entries and the success metrics."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.openapi.json_schema import INSTANT, Schema, nullable
from connect.domain.metrics import TARGETS, WINDOW_DAYS

_COUNT: Final[Schema] = {"type": "integer", "minimum": 0}


def _target() -> Schema:
    return {
        "type": "object",
        "required": ["op", "value", "met"],
        "properties": {
            "op": {"type": "string", "enum": sorted({op for op, _ in TARGETS.values()})},
            "value": {"type": "number"},
            "met": nullable(
                {"type": "boolean", "description": "null while there is nothing to measure."}
            ),
        },
        "additionalProperties": False,
    }


def _metrics() -> Schema:
    properties: dict[str, Schema] = {
        "api_keys_created": _COUNT,
        "webhooks_registered": _COUNT,
        "export_downloads_7d": _COUNT,
        "delivery_success_rate": nullable(
            {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "Succeeded over finished deliveries; null before any finished.",
            }
        ),
        "deliveries": {
            "type": "object",
            "required": ["succeeded", "failed"],
            "properties": {"succeeded": _COUNT, "failed": _COUNT},
            "additionalProperties": False,
        },
        "p95_latency_ms_7d": nullable(
            {"type": "number", "minimum": 0, "description": "From the audit log; null if empty."}
        ),
        "requests_7d": _COUNT,
        "webhooks_failing": {
            **_COUNT,
            "description": "Active webhooks with 5 or more consecutive failed attempts.",
        },
        "webhooks_disabled": _COUNT,
        "deliveries_exhausted_7d": {
            **_COUNT,
            "description": "Deliveries given up (last attempt failed), test sends left out.",
        },
        "window_days": {"const": WINDOW_DAYS},
        "targets": {
            "type": "object",
            "description": "The seed's goals, each with whether it is met now.",
            "required": sorted(TARGETS),
            "properties": {name: _target() for name in sorted(TARGETS)},
            "additionalProperties": False,
        },
        "computed_at": INSTANT,
    }
    return {
        "type": "object",
        "description": (
            f"The success metrics, computed from the audit log and delivery tables; the "
            f"_7d figures cover the last {WINDOW_DAYS} days."
        ),
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def organizer_schemas() -> dict[str, Schema]:
    return {"Metrics": _metrics()}
