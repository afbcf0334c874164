from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import browser  # noqa: F401  (a fixture for the browser tests)
from tests.e2e.server import RunningServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = RunningServer(tmp_path / "connect.db")
    yield running
    running.close()
