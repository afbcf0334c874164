"""Log lines as text or JSON, with the structured fields callers attach."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from io import StringIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.entrypoints.logs import TextFormatter, configure_logging


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_extra_fields_of_a_delivery_attempt(root_handlers: None) -> None:
    out = StringIO()
    handler = configure_logging("json", stream=out)
    logging.getLogger("connect.delivery").info(
        "attempt %d", 2, extra={"delivery_id": 7, "status_code": 503}
    )
    logging.getLogger("connect.http").info("GET /x 200", extra={"fields": {"status": 200}})
    handler.flush()
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["logger"] == "connect.delivery" and first["message"] == "attempt 2"
    assert (first["delivery_id"], first["status_code"], first["level"]) == (7, 503, "info")
    assert first["time"].endswith("Z")
    assert second["status"] == 200 and "fields" not in second


def test_text_lines_append_plain_extra_fields_and_configuring_twice_keeps_one_handler(
    root_handlers: None,
) -> None:
    out = StringIO()
    configure_logging("text", stream=StringIO())
    handler = configure_logging("text", stream=out)
    logging.getLogger("connect.delivery").warning("gave up", extra={"delivery_id": 7})
    handler.flush()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("WARNING connect.delivery gave up delivery_id=7")


@given(st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False))
def test_text_lines_carry_the_same_time_as_the_standard_formatter(created: float) -> None:
    standard = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    ours = TextFormatter()
    for offset in (0.0, 0.25, 1.0):  # the same second twice, then the next one
        record = logging.LogRecord("connect.http", logging.INFO, "", 0, "GET /x 200", None, None)
        record.created = created + offset
        record.msecs = int((record.created - int(record.created)) * 1000) + 0.0
        assert ours.format(record) == standard.format(record)
