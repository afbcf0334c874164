from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from connect.domain.exports.json import json_chunks
from connect.domain.representation import submission_document
from connect.domain.submissions import Submission
from tests.domain.export_strategies import submission_lists

API_FIELDS = {
    "id",
    "speaker_name",
    "talk_context",
    "is_on_behalf",
    "submitter_name",
    "discord_channel_id",
    "discord_invite_link",
    "status",
    "scheduled_date",
    "mode",
    "created_at",
    "updated_at",
}


@given(submission_lists, st.integers(min_value=1, max_value=4))
def test_the_json_export_is_an_array_of_exactly_the_api_representation(
    rows: list[Submission], size: int
) -> None:
    text = "".join(json_chunks(rows, rows_per_chunk=size))
    assert json.loads(text) == [submission_document(s) for s in rows]


@given(submission_lists)
def test_every_object_has_the_api_field_names(rows: list[Submission]) -> None:
    for item in json.loads("".join(json_chunks(rows))):
        assert set(item) == API_FIELDS


def test_an_empty_export_is_an_empty_array() -> None:
    assert json.loads("".join(json_chunks([]))) == []
