"""Searching submissions by speaker and talk: the one definition every store follows."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.mode import Mode
from connect.domain.submission_query import SEARCH_MAX, SubmissionQuery, fold, matches_search
from connect.domain.submissions import Submission
from tests.domain.strategies import submissions


@given(submissions(), st.data())
def test_any_piece_of_the_speaker_name_or_the_talk_finds_the_submission(
    submission: Submission, data: st.DataObject
) -> None:
    text = data.draw(st.sampled_from([submission.speaker_name, submission.talk_context]))
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(text)))
    piece = text[start:end]
    assume(piece.strip() and len(piece.strip()) <= SEARCH_MAX)
    query = SubmissionQuery.parse(submission.mode, q=piece)
    assert query.search is not None and query.matches(submission)


@given(submissions(), st.text(alphabet="abcdefghij ", min_size=1, max_size=12))
def test_ascii_search_ignores_case_both_ways(submission: Submission, word: str) -> None:
    assume(word.strip())
    lower = SubmissionQuery.parse(Mode.LIVE, q=word.lower()).folded_search
    upper = SubmissionQuery.parse(Mode.LIVE, q=word.upper()).folded_search
    assert lower == upper
    assert lower is not None
    assert matches_search(submission, lower) == (
        lower in submission.speaker_name.casefold() or lower in submission.talk_context.casefold()
    )


def test_accents_and_sharp_s_fold_the_unicode_way() -> None:
    assert fold("ÉMILE") == fold("émile") and fold("Straße") == fold("STRASSE")


@given(submissions())
def test_text_found_in_neither_field_does_not_match(submission: Submission) -> None:
    absent = "\u2603snowman\u2603"
    assume(absent not in fold(submission.speaker_name + submission.talk_context))
    assert not matches_search(submission, fold(absent))


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_a_blank_search_is_no_filter(blank: str | None) -> None:
    assert SubmissionQuery.parse(Mode.LIVE, q=blank).search is None


def test_a_search_longer_than_the_limit_is_a_field_problem() -> None:
    parsed = SubmissionQuery.parse(Mode.LIVE, q="  " + "x" * SEARCH_MAX + "  ")
    assert parsed.search == "x" * SEARCH_MAX
    with pytest.raises(ValidationFailed) as refused:
        SubmissionQuery.parse(Mode.LIVE, q="x" * (SEARCH_MAX + 1))
    assert refused.value.errors[0].field == "q"
