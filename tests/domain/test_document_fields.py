"""DOCUMENT_FIELDS: the one ordered list the JSON document and the CSV columns follow."""

from __future__ import annotations

from attrs import fields
from hypothesis import given

from connect.domain.exports.csv import COLUMNS, row_cells
from connect.domain.representation import DOCUMENT_FIELDS, submission_document
from connect.domain.submissions import Submission
from tests.domain.export_strategies import submissions

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_the_document_shows_every_field_of_a_submission_but_its_calendar_sequence() -> None:
    declared = [a.name for a in fields(Submission)]
    assert list(DOCUMENT_FIELDS) == [n for n in declared if n != "schedule_sequence"]


@given(submissions())
def test_a_document_holds_exactly_the_document_fields_in_their_order(s: Submission) -> None:
    assert list(submission_document(s)) == list(DOCUMENT_FIELDS)


@given(submissions())
def test_every_csv_cell_is_its_document_value_spelled_for_a_spreadsheet(s: Submission) -> None:
    document = submission_document(s)
    expected = []
    for name in COLUMNS:
        value = document[name]
        if value is None:
            expected.append("")
        elif isinstance(value, bool):
            expected.append("true" if value else "false")
        elif isinstance(value, int):
            expected.append(str(value))
        else:
            expected.append(
                "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
            )
    assert row_cells(s) == expected


@given(submissions())
def test_enum_members_are_rendered_as_plain_strings(s: Submission) -> None:
    document = submission_document(s)
    assert type(document["status"]) is str and type(document["mode"]) is str
