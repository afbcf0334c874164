from __future__ import annotations

from collections.abc import Sequence

import pytest

from connect.adapters.http.structure import FORM_MEMBERS, structure
from connect.adapters.memory import MemoryUnitOfWork
from connect.domain.errors import NotFound, ValidationFailed
from connect.domain.events import Event, EventType
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.domain.submissions import Status
from connect.ports.unit_of_work import Stores
from connect.services.outbox import Outbox
from connect.services.submissions import SubmissionService
from connect.testing import FixedEntropy, ManualClock
from tests.conftest import principal


class RecordingOutbox(Outbox):
    """Remembers what was enqueued, and whether it happened inside the transaction."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow
        self.enqueued: list[Event] = []
        self.commits_seen_at_enqueue: list[int] = []
        self.woken = 0

    def enqueue(self, stores: Stores, events: Sequence[Event]) -> None:
        self.commits_seen_at_enqueue.append(self.uow.commits)
        self.enqueued.extend(events)

    def committed(self) -> None:
        self.woken += 1


@pytest.fixture
def uow() -> MemoryUnitOfWork:
    return MemoryUnitOfWork()


@pytest.fixture
def outbox(uow: MemoryUnitOfWork) -> RecordingOutbox:
    return RecordingOutbox(uow)


@pytest.fixture
def service(uow: MemoryUnitOfWork, outbox: RecordingOutbox) -> SubmissionService:
    return SubmissionService(uow, ManualClock(), FixedEntropy(1), outbox)


FORM = SubmissionFields(speaker_name=" Ann ", talk_context="Async Rust", is_on_behalf=False)


def test_the_form_creates_a_live_submission_and_one_created_event_in_its_transaction(
    service: SubmissionService, outbox: RecordingOutbox, uow: MemoryUnitOfWork
) -> None:
    submission = service.submit_form(FORM)
    assert (submission.speaker_name, submission.mode) == ("Ann", Mode.LIVE)
    assert [e.type for e in outbox.enqueued] == [EventType.SUBMISSION_CREATED]
    assert outbox.commits_seen_at_enqueue == [0] and uow.commits == 1
    assert outbox.woken == 1


def test_bad_form_input_stores_nothing_and_emits_nothing(
    service: SubmissionService, outbox: RecordingOutbox, uow: MemoryUnitOfWork
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        body = {"speakerName": "", "isOnBehalf": True}
        service.submit_form(structure(body, SubmissionFields, FORM_MEMBERS))
    assert {e.field for e in caught.value.errors} == {"speakerName", "talkContext", "submitterName"}
    assert uow.state.submissions == {} and outbox.enqueued == []


def test_a_test_key_creates_and_sees_only_test_submissions(service: SubmissionService) -> None:
    tester, live = principal(Mode.TEST), principal(Mode.LIVE)
    created = service.create(tester, SubmissionFields(speaker_name="T", talk_context="sandbox"))
    service.submit_form(FORM)
    assert created.mode is Mode.TEST
    assert [s.id for s in service.list(tester, limit=10).items] == [created.id]
    with pytest.raises(NotFound):
        service.get(live, created.id)


def test_scheduling_emits_updated_then_scheduled(
    service: SubmissionService, outbox: RecordingOutbox
) -> None:
    created = service.submit_form(FORM)
    updated = service.update(principal(), created.id, SubmissionPatch(scheduled_date="2026-03-18"))
    assert updated.status is Status.SCHEDULED
    assert [e.type for e in outbox.enqueued] == [
        EventType.SUBMISSION_CREATED,
        EventType.SUBMISSION_UPDATED,
        EventType.TALK_SCHEDULED,
    ]
    assert outbox.enqueued[-1].data["scheduled_date"] == "2026-03-18"


def test_an_invalid_patch_changes_nothing(
    service: SubmissionService, outbox: RecordingOutbox
) -> None:
    created = service.submit_form(FORM)
    with pytest.raises(ValidationFailed):
        service.update(
            principal(), created.id, SubmissionPatch(speaker_name="B", status="scheduled")
        )
    assert service.get(principal(), created.id) == created
    assert len(outbox.enqueued) == 1


def test_the_schedule_lists_scheduled_talks_by_date(service: SubmissionService) -> None:
    ids = [service.submit_form(FORM).id for _ in range(3)]
    service.update(principal(), ids[0], SubmissionPatch(scheduled_date="2026-05-01"))
    service.update(principal(), ids[2], SubmissionPatch(scheduled_date="2026-04-01"))
    assert [s.id for s in service.schedule(principal())] == [ids[2], ids[0]]
