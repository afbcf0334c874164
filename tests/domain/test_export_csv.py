from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from connect.domain.exports.csv import COLUMNS, csv_chunks, guard
from connect.domain.submissions import Submission
from tests.domain.export_strategies import make_submission, submission_lists, texts

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def expected_text(value: str | None) -> str:
    if value is None:
        return ""
    return "'" + value if value[:1] in FORMULA else value


def expected_cells(s: Submission) -> list[str]:
    return [
        str(s.id),
        expected_text(s.speaker_name),
        expected_text(s.talk_context),
        "true" if s.is_on_behalf else "false",
        expected_text(s.submitter_name),
        expected_text(s.discord_channel_id),
        s.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        s.scheduled_date.isoformat() if s.scheduled_date else "",
    ]


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


@given(submission_lists)
def test_any_submissions_parse_back_with_the_csv_module_to_exactly_the_expected_cells(
    rows: list[Submission],
) -> None:
    text = "".join(csv_chunks(rows))
    assert parse(text) == [list(COLUMNS), *(expected_cells(s) for s in rows)]


@given(submission_lists)
def test_no_cell_starts_with_a_formula_character_unless_guarded(rows: list[Submission]) -> None:
    for line in parse("".join(csv_chunks(rows)))[1:]:
        for cell in line[1:]:
            assert not cell.startswith(FORMULA)


@given(submission_lists, st.integers(min_value=1, max_value=5))
def test_the_chunk_size_never_changes_the_bytes(rows: list[Submission], size: int) -> None:
    assert "".join(csv_chunks(rows, rows_per_chunk=size)) == "".join(csv_chunks(rows))


@given(submission_lists)
def test_every_record_ends_with_crlf_and_the_header_comes_first(rows: list[Submission]) -> None:
    text = "".join(csv_chunks(rows))
    assert text.startswith(
        "id,speaker_name,talk_context,is_on_behalf,submitter_name,"
        "discord_channel_id,created_at,scheduled_date\r\n"
    )
    assert text.endswith("\r\n")


@given(texts)
def test_the_guard_only_touches_formula_cells(cell: str) -> None:
    guarded = guard(cell)
    if cell.startswith(FORMULA):
        assert guarded == "'" + cell
    else:
        assert guarded == cell


def test_an_empty_export_is_the_header_line_alone() -> None:
    assert "".join(csv_chunks([])) == ",".join(COLUMNS) + "\r\n"


def test_quotes_commas_and_newlines_are_quoted_the_rfc_4180_way() -> None:
    row = make_submission(3, speaker_name='Ann "the crab", NYC', talk_context="one\ntwo")
    line = "".join(csv_chunks([row])).split("\r\n", 1)[1]
    assert line.startswith('3,"Ann ""the crab"", NYC","one\ntwo",')
