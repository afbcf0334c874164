"""Process logging: one line per event, as text (default) or JSON lines.

``CONNECT_LOG_FORMAT=json`` writes one JSON object per line with ``time``, ``level``,
``logger``, ``message`` and every structured field the caller attached, either as
``extra={"fields": {...}}`` or as plain ``extra={...}`` keys.

Every field is client input until proven otherwise (paths, header values, names), so
both formats pass every string through ``escape_controls`` (docs/logging.md): no
control character, line separator or bidi override reaches the log, in either format.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any, Final, TextIO

from connect.domain.escaping import escape_controls
from connect.services.handoff import Handoff

# The attributes every LogRecord has; anything else came in through ``extra``.
_STANDARD: Final = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


def safe_value(value: Any) -> Any:
    """``value`` with every string in it escaped; what JSON cannot hold becomes a string."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return escape_controls(value)
    if isinstance(value, dict):
        return {escape_controls(str(k)): safe_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [safe_value(v) for v in value]
    return escape_controls(str(value))


def _indented(text: str) -> str:
    # NOTE: a traceback keeps its lines (readable), each escaped and indented, so no
    # text inside it (an exception message quoting client input) can start a line that
    # looks like a record of its own.
    return "\n".join("    " + escape_controls(line) for line in text.splitlines())


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
        moment = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        document: dict[str, Any] = {
            "time": moment[:23] + "Z",
            "level": record.levelname.lower(),
            "logger": escape_controls(record.name),
            "message": escape_controls(record.getMessage()),
        }
        for name, value in record_fields(record).items():
            document.setdefault(escape_controls(name), safe_value(value))
        if record.exc_info:
            document["exception"] = escape_controls(self.formatException(record.exc_info))
        return json.dumps(document)


class TextFormatter(logging.Formatter):
    """``time level logger message``, then any extra fields the message lacks."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self._second: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        # NOTE: the same text as logging's default, with the strftime done once per
        # second instead of once per line (one line per request).
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        cached_second, stamp = self._second
        if cached_second != second:
            stamp = time.strftime(self.default_time_format, self.converter(record.created))
            self._second = (second, stamp)
        return f"{stamp},{int(record.msecs):03d}"

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_controls(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(stack_info)

    def format(self, record: logging.LogRecord) -> str:
        # NOTE: another handler may have cached its own (unescaped) traceback text on
        # the record; ours is made afresh and the cache left as it was.
        cached, record.exc_text = record.exc_text, None
        try:
            line = super().format(record)
        finally:
            record.exc_text = cached
        if record.__dict__.get("fields") is not None:
            return line  # the message already spells its fields
        extra = record_fields(record)
        if not extra:
            return line
        # NOTE: the fields go after a traceback's last line when there is one; they are
        # escaped like the rest, so they too stay on that line.
        pairs = (f"{escape_controls(k)}={escape_controls(str(v))}" for k, v in extra.items())
        return f"{line} {' '.join(pairs)}"


class BatchingStreamHandler(logging.Handler):
    """Writes log lines on a background thread, many lines per write.

    NOTE: a write to stderr is a system call that releases the GIL; on a request
    thread each one means queueing to take the GIL back behind the other busy threads.
    Here a request thread formats its line and hands it off (``Handoff``); the writer
    wakes every tenth of a second (or on ``flush``) and writes everything pending at
    once. ``logging.shutdown`` (run at exit) flushes and closes it.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self._lines = Handoff(self._write, name="connect-log-writer", interval=0.1)

    def handle(self, record: logging.LogRecord) -> bool:
        # NOTE: no handler lock: ``emit`` formats (thread-safe) and appends to a deque.
        # Under a threaded server, request threads queueing on that lock (each wait
        # releases the GIL) cost far more than the work it protects.
        if not self.filter(record):
            return False
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        # NOTE: the line is formatted here and only the string is kept. A LogRecord
        # that outlives its call survives garbage-collection generations and makes full
        # collections (which scan the whole heap, all threads stopped) more frequent:
        # measured, that cost a threaded server far more than the formatting does.
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._lines.put(line)

    def _write(self, lines: list[str]) -> None:
        try:
            self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()
        except Exception:
            self.handleError(logging.makeLogRecord({"msg": lines[-1]}))

    def flush(self) -> None:
        self._lines.flush()

    def close(self) -> None:
        self._lines.close()
        super().close()


def configure_logging(log_format: str = "text", *, stream: TextIO | None = None) -> logging.Handler:
    """Send Connect's logs (and the root logger's) to ``stream`` (stderr by default).

    Replaces handlers installed by an earlier call, so it is safe to call twice.
    Returns the handler it installed (``flush()`` it to see pending lines at once).
    """
    # NOTE: no format here prints thread or process names; not collecting them makes
    # every record (one per request) cheaper to create.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = BatchingStreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.set_name("connect")
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == "connect":
            root.removeHandler(existing)
            existing.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler
