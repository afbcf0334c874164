"""waitress's queue warning, sampled: one line per interval, with the deepest queue."""

from __future__ import annotations

import logging

import pytest
import waitress

from connect.entrypoints.queue_log import SampledQueueWarnings, sample_queue_warnings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_of_queued_requests_is_one_warning_naming_the_deepest_queue(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    sampled = SampledQueueWarnings(logging.getLogger("waitress.queue"), interval=10, clock=clock)
    with caplog.at_level(logging.WARNING, logger="waitress.queue"):
        sampled.warning("Task queue depth is %d", 1)
        for depth in (2, 7, 3):
            clock.now += 1
            sampled.warning("Task queue depth is %d", depth)
        assert len(caplog.records) == 1

        clock.now += 10
        sampled.warning("Task queue depth is %d", 2)
    first, second = (r.getMessage() for r in caplog.records)
    assert "queue depth 1, deepest 1, 1 requests queued" in first
    assert "queue depth 2, deepest 7, 4 requests queued" in second


def test_connect_serve_samples_the_queue_warnings_of_its_waitress_server() -> None:
    server = waitress.create_server(lambda environ, start: [], host="127.0.0.1", port=0)
    try:
        sample_queue_warnings(server)
        assert isinstance(server.task_dispatcher.queue_logger, SampledQueueWarnings)
    finally:
        server.close()
        server.task_dispatcher.shutdown()
