"""Exports: submissions as CSV, JSON and an iCalendar feed.

Each format is a pure function from an iterable of ``Submission`` to an iterator of
text chunks, so callers can stream any number of rows in constant memory.
"""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    ICS = "ics"
