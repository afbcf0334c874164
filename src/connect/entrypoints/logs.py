"""Process logging: one line per event, as text (default) or JSON lines.

``CONNECT_LOG_FORMAT=json`` writes one JSON object per line with ``time``, ``level``,
``logger``, ``message`` and every structured field the caller attached, either as
``extra={"fields": {...}}`` or as plain ``extra={...}`` keys.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Final, TextIO

# The attributes every LogRecord has; anything else came in through ``extra``.
_STANDARD: Final = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The structured fields attached to a record through ``extra``."""
    fields: dict[str, Any] = {}
    for name, value in record.__dict__.items():
        if name == "fields" and isinstance(value, dict):
            fields.update(value)
        elif name not in _STANDARD:
            fields[name] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line; values that are not JSON become strings."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")[
                :23
            ]
            + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in record_fields(record).items():
            document.setdefault(name, value)
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger message``, then any extra fields the message lacks."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        if record.__dict__.get("fields") is not None:
            return line  # the message already spells its fields
        extra = record_fields(record)
        if not extra:
            return line
        return line + " " + " ".join(f"{k}={v}" for k, v in extra.items())


def configure_logging(
    log_format: str = "text", *, level: int = logging.INFO, stream: TextIO | None = None
) -> logging.Handler:
    """Send Connect's logs (and the root logger's) to ``stream`` (stderr by default).

    Replaces handlers installed by an earlier call, so it is safe to call twice.
    Returns the handler it installed.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.set_name("connect")
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == "connect":
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
