"""Live and test mode: the integrators' sandbox."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """A ``rnc_test_`` key sees and produces only test data; a live key only live data."""

    LIVE = "live"
    TEST = "test"
