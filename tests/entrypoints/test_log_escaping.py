"""Client input cannot forge a log line or reach the operator's terminal raw."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from io import StringIO

import pytest
from falcon import testing
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.http import create_app
from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import bootstrap
from connect.config import Config
from connect.domain.escaping import is_unsafe, unescape_controls
from connect.entrypoints.logs import JsonFormatter, TextFormatter, configure_logging
from connect.testing import FixedEntropy, ManualClock, Sha256Hasher

FORGED = "\r\n2026-01-01 00:00:00.000 INFO connect.http DELETE keys 204 key=admin"


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def clean(line: str) -> bool:
    return not any(c != "\\" and is_unsafe(c) for c in line)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_forged_client_address_stays_on_one_escaped_line(
    root_handlers: None, log_format: str
) -> None:
    out = StringIO()
    handler = configure_logging(log_format, stream=out)
    connect = bootstrap(
        Config(db=":memory:"),
        MemoryUnitOfWork(),
        clock=ManualClock(),
        entropy=FixedEntropy(3),
        hasher=Sha256Hasher(),
    )
    client = testing.TestClient(create_app(connect))
    # NOTE: an IPv6 scope id may hold any text; a proxy's X-Forwarded-For becomes
    # REMOTE_ADDR through waitress's trusted-proxy handling.
    sent = "fe80::1%\x1b[2J" + FORGED
    client.simulate_get("/healthz", remote_addr=sent)
    handler.flush()
    connect.close()
    lines = [line for line in out.getvalue().splitlines() if "connect.http" in line]
    assert len(lines) == 1 and clean(lines[0])
    if log_format == "json":
        assert unescape_controls(json.loads(lines[0])["client_ip"]) == sent
    else:
        assert "ip=fe80::1%\\x1b[2J\\r\\n2026-01-01" in lines[0]


@given(st.text(), st.dictionaries(st.text(min_size=1), st.text() | st.integers(), max_size=3))
def test_every_field_of_every_format_is_escaped(message: str, fields: dict[str, object]) -> None:
    record = logging.LogRecord("connect.x", logging.INFO, "", 0, "%s", (message,), None)
    record.__dict__["fields"] = None
    record.__dict__.update({f"f_{k}": v for k, v in fields.items()})
    text = TextFormatter().format(record)
    document = JsonFormatter().format(record)
    assert "\n" not in text and clean(text)
    assert "\n" not in document and clean(document)
    decoded = json.loads(document)
    assert unescape_controls(decoded["message"]) == message
    assert all(clean(str(k)) and clean(str(v)) for k, v in decoded.items())


def test_a_traceback_keeps_its_lines_but_none_can_pass_for_a_record(root_handlers: None) -> None:
    out = StringIO()
    handler = configure_logging("text", stream=out)
    try:
        raise ValueError("bad name" + FORGED)
    except ValueError:
        logging.getLogger("connect.x").exception("failed for %s", "a\x1b[31mb")
    handler.flush()
    first, *rest = out.getvalue().splitlines()
    assert first.endswith("ERROR connect.x failed for a\\x1b[31mb")
    assert rest and all(line.startswith("    ") and clean(line) for line in rest)
    # The forged "record" is there, but as an indented continuation of the traceback.
    assert "    2026-01-01 00:00:00.000 INFO connect.http DELETE keys 204 key=admin" in rest
