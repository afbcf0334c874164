"""The KeyStore contract, for every adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve

from connect.domain.errors import Conflict
from connect.domain.keys import ALL_SCOPES, NewApiKey, Scope
from connect.domain.mode import Mode
from connect.ports.unit_of_work import UnitOfWork

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)


def new(key_id: str = "rnc_live_Ab3dE9xQ", **changes: object) -> NewApiKey:
    fields: dict = dict(
        key_id=key_id,
        key_hash="$argon2id$fake",
        name="zapier",
        scopes=frozenset({Scope.SUBMISSIONS_READ, Scope.EXPORTS_CREATE}),
        mode=Mode.LIVE,
        created_by="rnc_live_organize",
        created_at=NOW,
    )
    fields.update(changes)
    return NewApiKey(**fields)


def test_a_key_reads_back_by_id_and_by_key_id(uow: UnitOfWork) -> None:
    with uow() as stores:
        key = stores.keys.add(new(expires_at=NOW + timedelta(days=30)))
    with uow(write=False) as stores:
        assert stores.keys.get(key.id) == key
        assert stores.keys.find("rnc_live_Ab3dE9xQ") == key
        assert stores.keys.find("rnc_live_nothere0") is None
        assert stores.keys.get(key.id + 1000) is None
        assert stores.keys.count() == 1


def test_a_duplicate_key_id_is_a_conflict_and_rolls_back(uow: UnitOfWork) -> None:
    with uow() as stores:
        stores.keys.add(new())
    with pytest.raises(Conflict), uow() as stores:
        stores.keys.add(new("rnc_test_Zz9yY8xX"))
        stores.keys.add(new())
    with uow(write=False) as stores:
        assert stores.keys.count() == 1


def test_keys_list_newest_first_with_a_before_cursor(uow: UnitOfWork) -> None:
    with uow() as stores:
        ids = [stores.keys.add(new(f"rnc_live_key{i:05d}", scopes=ALL_SCOPES)).id for i in range(5)]
    with uow(write=False) as stores:
        assert [k.id for k in stores.keys.list(limit=3)] == ids[::-1][:3]
        assert [k.id for k in stores.keys.list(limit=10, before=ids[2])] == ids[:2][::-1]


def test_keys_list_keeps_to_one_mode_when_asked(uow: UnitOfWork) -> None:
    with uow() as stores:
        live = stores.keys.add(new("rnc_live_aaaaaaaa")).id
        test = stores.keys.add(new("rnc_test_bbbbbbbb", mode=Mode.TEST)).id
    with uow(write=False) as stores:
        assert [k.id for k in stores.keys.list(limit=10, mode=Mode.TEST)] == [test]
        assert [k.id for k in stores.keys.list(limit=10, mode=Mode.LIVE)] == [live]
        assert [k.id for k in stores.keys.list(limit=10)] == [test, live]


def test_save_changes_name_and_revocation_but_not_the_secret_hash(uow: UnitOfWork) -> None:
    with uow() as stores:
        key = stores.keys.add(new())
        stores.keys.save(
            evolve(key, name="renamed", revoked_at=NOW, key_hash="other", scopes=frozenset())
        )
    with uow(write=False) as stores:
        stored = stores.keys.get(key.id)
    assert stored == evolve(key, name="renamed", revoked_at=NOW)


def test_touch_writes_last_used_only(uow: UnitOfWork) -> None:
    with uow() as stores:
        key = stores.keys.add(new())
        stores.keys.save(evolve(key, revoked_at=NOW))
        stores.keys.touch(key.id, NOW + timedelta(minutes=5))
    with uow(write=False) as stores:
        stored = stores.keys.get(key.id)
    assert stored is not None
    assert stored.revoked_at == NOW and stored.last_used_at == NOW + timedelta(minutes=5)


def test_a_duplicate_key_id_leaves_the_rest_of_its_transaction_to_commit(uow: UnitOfWork) -> None:
    with uow() as stores:
        first = stores.keys.add(new("rnc_live_Ab3dE9xQ"))
        with pytest.raises(Conflict):
            stores.keys.add(new("rnc_live_Ab3dE9xQ", name="again"))
        second = stores.keys.add(new("rnc_live_Zz9yX8wV"))
    with uow(write=False) as stores:
        assert stores.keys.find("rnc_live_Ab3dE9xQ") == first
        assert stores.keys.find("rnc_live_Zz9yX8wV") == second
        assert stores.keys.find("rnc_live_\x00") is None
        assert stores.keys.count() == 2
