from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connect.domain.errors import ValidationFailed
from connect.domain.exports.filters import ExportFilter, parse_export_filter
from connect.domain.submissions import Status


def test_no_filters_means_every_submission() -> None:
    assert parse_export_filter(None, None) == ExportFilter()
    assert parse_export_filter("", "all") == ExportFilter()


def test_since_takes_a_date_as_midnight_utc_or_a_datetime() -> None:
    assert parse_export_filter("2026-02-06", None).since == datetime(2026, 2, 6, tzinfo=UTC)
    assert parse_export_filter("2026-02-06T13:57:40Z", None).since == datetime(
        2026, 2, 6, 13, 57, 40, tzinfo=UTC
    )


def test_status_pending_and_scheduled_select_that_status() -> None:
    assert parse_export_filter(None, "pending").statuses == {Status.PENDING}
    assert parse_export_filter(None, "scheduled").statuses == {Status.SCHEDULED}


def test_bad_filters_are_all_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_export_filter("yesterday", "accepted!")
    assert {e.field for e in raised.value.errors} == {"since", "status"}
