"""A create retried with the same Idempotency-Key creates once, over memory, a SQLite
file and a PostgreSQL database (skipped, with the reason, without PostgreSQL)."""

from __future__ import annotations

import pytest
from attrs import evolve

from connect.bootstrap import Connect
from connect.domain.deliveries import DeliveryStatus
from connect.domain.errors import IdempotencyKeyReused, InvalidIdempotencyKey, ValidationFailed
from connect.domain.keys import Scope
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration
from connect.domain.submission_query import SubmissionQuery
from connect.testing import ManualClock
from tests.conftest import stored_principal

TALK = SubmissionFields(speaker_name="Ferris", talk_context="Async Rust")
WRITER = frozenset({Scope.SUBMISSIONS_WRITE, Scope.WEBHOOKS_MANAGE})


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def connect(request: pytest.FixtureRequest) -> Connect:
    found: Connect = request.getfixturevalue(f"{request.param}_connect")
    return found


def count(connect: Connect) -> int:
    with connect.uow(write=False) as stores:
        return len(stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=1000))


def test_a_retry_returns_what_the_first_request_created_and_sends_one_event(
    connect: Connect,
) -> None:
    writer = stored_principal(connect, scopes=WRITER)
    connect.webhooks.register(
        writer,
        WebhookRegistration(url="https://hooks.example.org/in", events=["submission.created"]),
    )
    first = connect.submissions.create_once(writer, TALK, "retry-7")
    # NOTE: the same request after trimming: fingerprints are of the structured fields.
    same = SubmissionFields(talk_context=" Async Rust ", speaker_name="Ferris\n")
    again = connect.submissions.create_once(writer, same, "retry-7")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.submission == first.submission
    assert count(connect) == 1
    with connect.uow(write=False) as stores:
        assert stores.deliveries.count(DeliveryStatus.PENDING) == 1


def test_the_same_key_with_another_request_is_refused_and_creates_nothing(
    connect: Connect,
) -> None:
    writer = stored_principal(connect, scopes=WRITER)
    connect.submissions.create_once(writer, TALK, "retry-7")
    with pytest.raises(IdempotencyKeyReused):
        connect.submissions.create_once(writer, evolve(TALK, speaker_name="Bea"), "retry-7")
    assert count(connect) == 1


def test_keys_are_per_api_key_and_forgotten_after_24_hours(
    connect: Connect, clock: ManualClock
) -> None:
    one = stored_principal(connect, scopes=WRITER)
    two = stored_principal(connect, scopes=WRITER)
    a = connect.submissions.create_once(one, TALK, "k").submission
    b = connect.submissions.create_once(two, TALK, "k").submission
    assert a.id != b.id
    clock.advance(hours=24)
    assert connect.submissions.create_once(one, TALK, "k").replayed
    clock.advance(seconds=1)
    fresh = connect.submissions.create_once(one, TALK, "k")
    assert not fresh.replayed and fresh.submission.id not in (a.id, b.id)


def test_a_bad_key_or_bad_fields_store_nothing_and_remember_nothing(
    connect: Connect,
) -> None:
    writer = stored_principal(connect, scopes=WRITER)
    with pytest.raises(InvalidIdempotencyKey):
        connect.submissions.create_once(writer, TALK, "")
    with pytest.raises(ValidationFailed):
        connect.submissions.create_once(writer, SubmissionFields(" ", "Async"), "k")
    assert count(connect) == 0
    # The key was not spent on the invalid request: a corrected one goes through.
    assert not connect.submissions.create_once(writer, TALK, "k").replayed
