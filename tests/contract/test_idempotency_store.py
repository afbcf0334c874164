"""The idempotency store's contract, over memory and SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest

from connect.domain.errors import Conflict, NotFound
from connect.domain.idempotency import IdempotencyRecord
from connect.ports.unit_of_work import UnitOfWork
from tests.contract.seeding import T0, add_submission
from tests.contract.test_audit_log import add_key


def test_a_record_is_found_by_its_api_key_and_idempotency_key_only(uow: UnitOfWork) -> None:
    one, two = add_key(uow, "rnc_live_aaaaaaaa"), add_key(uow, "rnc_live_bbbbbbbb")
    record = IdempotencyRecord(one, "retry-1", "f" * 64, add_submission(uow), T0)
    with uow() as stores:
        stores.idempotency.add(record)
    with uow(write=False) as stores:
        assert stores.idempotency.find(one, "retry-1") == record
        assert stores.idempotency.find(two, "retry-1") is None
        assert stores.idempotency.find(one, "retry-2") is None


def test_a_second_record_for_the_same_keys_is_a_conflict_and_the_first_stays(
    uow: UnitOfWork,
) -> None:
    key, submission = add_key(uow), add_submission(uow)
    first = IdempotencyRecord(key, "k", "a" * 64, submission, T0)
    with uow() as stores:
        stores.idempotency.add(first)
    with pytest.raises(Conflict), uow() as stores:
        stores.idempotency.add(IdempotencyRecord(key, "k", "b" * 64, submission, T0))
    with uow(write=False) as stores:
        assert stores.idempotency.find(key, "k") == first


def test_a_record_must_name_a_stored_key_and_submission(uow: UnitOfWork) -> None:
    key, submission = add_key(uow), add_submission(uow)
    for record in (
        IdempotencyRecord(key + 1, "k", "a" * 64, submission, T0),
        IdempotencyRecord(key, "k", "a" * 64, submission + 1, T0),
    ):
        with pytest.raises(NotFound), uow() as stores:
            stores.idempotency.add(record)
    with uow(write=False) as stores:
        assert stores.idempotency.find(key, "k") is None


def test_purge_forgets_exactly_the_records_made_before_a_time(uow: UnitOfWork) -> None:
    key, submission = add_key(uow), add_submission(uow)
    with uow() as stores:
        for minutes, name in ((0, "old"), (10, "edge"), (20, "new")):
            at = T0 + timedelta(minutes=minutes)
            stores.idempotency.add(IdempotencyRecord(key, name, "a" * 64, submission, at))
    with uow() as stores:
        assert stores.idempotency.purge(T0 + timedelta(minutes=10)) == 1
    with uow(write=False) as stores:
        found = {n for n in ("old", "edge", "new") if stores.idempotency.find(key, n)}
    assert found == {"edge", "new"}


def test_a_rolled_back_transaction_remembers_nothing(uow: UnitOfWork) -> None:
    key, submission = add_key(uow), add_submission(uow)
    with pytest.raises(RuntimeError), uow() as stores:
        stores.idempotency.add(IdempotencyRecord(key, "k", "a" * 64, submission, T0))
        raise RuntimeError("boom")
    with uow(write=False) as stores:
        assert stores.idempotency.find(key, "k") is None


def test_a_refused_record_leaves_the_rest_of_its_transaction_to_commit(uow: UnitOfWork) -> None:
    key, submission = add_key(uow), add_submission(uow)
    with uow() as stores:
        stores.idempotency.add(IdempotencyRecord(key, "first", "a" * 64, submission, T0))
        with pytest.raises(Conflict):
            stores.idempotency.add(IdempotencyRecord(key, "first", "b" * 64, submission, T0))
        with pytest.raises(NotFound):
            stores.idempotency.add(IdempotencyRecord(key + 1, "x", "a" * 64, submission, T0))
        stores.idempotency.add(IdempotencyRecord(key, "second", "c" * 64, submission, T0))
    with uow(write=False) as stores:
        assert stores.idempotency.find(key, "first").fingerprint == "a" * 64
        assert stores.idempotency.find(key, "second").fingerprint == "c" * 64
        assert stores.idempotency.find(key, "\x00") is None
