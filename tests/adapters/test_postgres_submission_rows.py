"""What the PostgreSQL submission store writes beside each row: the API document the
list page joins, and the folded text search looks in."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings

from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.submissions import BOUNDARY
from connect.domain.representation import submission_document
from connect.domain.submission_query import fold
from connect.domain.submissions import NewSubmission, Submission
from tests.domain.strategies import submissions

per_example = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def postgres(postgres_url: str) -> Iterator[PostgresUnitOfWork]:
    uow = PostgresUnitOfWork(postgres_url)
    uow.migrate()
    yield uow
    uow.close()


def stored_columns(uow: PostgresUnitOfWork, id: int) -> tuple[str, str]:
    with uow.connection() as conn:
        row = conn.execute(
            "SELECT document, search_text FROM talk_submissions_3 WHERE id = %s", [id]
        ).fetchone()
    assert row is not None
    return row[0], row[1]


def as_new(s: Submission) -> NewSubmission:
    return NewSubmission(
        speaker_name=s.speaker_name,
        talk_context=s.talk_context,
        is_on_behalf=s.is_on_behalf,
        submitter_name=s.submitter_name,
        mode=s.mode,
        created_at=s.created_at,
        discord_channel_id=s.discord_channel_id,
        discord_invite_link=s.discord_invite_link,
    )


@per_example
@given(submissions(), submissions())
def test_the_stored_document_is_the_api_rendering_after_every_write(
    postgres: PostgresUnitOfWork, drawn: Submission, later: Submission
) -> None:
    with postgres() as stores:
        added = stores.submissions.add(as_new(drawn))
    document, _ = stored_columns(postgres, added.id)
    with postgres(write=False) as stores:
        assert json.loads(document) == submission_document(
            stores.submissions.get(added.id, added.mode)
        )

    changed = evolve(later, id=added.id, mode=added.mode, created_at=added.created_at)
    with postgres() as stores:
        stores.submissions.save(changed)
    document, _ = stored_columns(postgres, added.id)
    with postgres(write=False) as stores:
        reread = stores.submissions.get(added.id, added.mode)
    assert reread is not None
    assert json.loads(document) == submission_document(reread) == submission_document(changed)


@per_example
@given(submissions())
def test_the_search_text_is_both_fields_folded_by_the_domain(
    postgres: PostgresUnitOfWork, drawn: Submission
) -> None:
    with postgres() as stores:
        added = stores.submissions.add(as_new(drawn))
    _, search_text = stored_columns(postgres, added.id)
    assert search_text == fold(drawn.speaker_name) + BOUNDARY + fold(drawn.talk_context)
    assert BOUNDARY not in fold(drawn.speaker_name + drawn.talk_context)
