"""The audit log store, over memory and SQLite."""

from __future__ import annotations

from datetime import timedelta

from connect.domain.audit import AuditEntry
from connect.domain.keys import NewApiKey, Scope
from connect.domain.mode import Mode
from connect.ports.unit_of_work import UnitOfWork
from tests.contract.seeding import T0


def entry(minutes: int = 0, key: int | None = None, **changes: object) -> AuditEntry:
    fields: dict[str, object] = {
        "api_key_id": key,
        "endpoint": "/api/v1/submissions/{id}",
        "method": "GET",
        "status_code": 200,
        "ip_address": "192.0.2.7",
        "duration_ms": 3.25,
        "created_at": T0 + timedelta(minutes=minutes),
    }
    fields.update(changes)
    return AuditEntry(**fields)  # type: ignore[arg-type]


def add_key(uow: UnitOfWork, key_id: str = "rnc_live_abcdefgh") -> int:
    with uow() as stores:
        return stores.keys.add(
            NewApiKey(
                key_id=key_id,
                key_hash="h",
                name="n",
                scopes=frozenset({Scope.SUBMISSIONS_READ}),
                mode=Mode.TEST if key_id.startswith("rnc_test_") else Mode.LIVE,
                created_by="t",
                created_at=T0,
            )
        ).id


def test_lists_entries_newest_first_with_every_field_kept(uow: UnitOfWork) -> None:
    key = add_key(uow)
    with uow() as stores:
        stores.audit.append([entry(0, key), entry(1, None, status_code=401, method="POST")])
    with uow(write=False) as stores:
        newest, oldest = stores.audit.list(limit=10)
    assert newest.id > oldest.id
    assert (newest.entry.method, newest.entry.status_code, newest.entry.api_key_id) == (
        "POST",
        401,
        None,
    )
    assert oldest.entry == entry(0, key)
    assert (oldest.key_id, newest.key_id) == ("rnc_live_abcdefgh", None)


def test_pages_by_id_without_repeating_a_row(uow: UnitOfWork) -> None:
    with uow() as stores:
        stores.audit.append([entry(i) for i in range(5)])
    with uow(write=False) as stores:
        first = stores.audit.list(limit=3)
        rest = stores.audit.list(limit=3, before=first[-1].id)
    assert [r.entry.created_at for r in [*first, *rest]] == [
        T0 + timedelta(minutes=m) for m in (4, 3, 2, 1, 0)
    ]


def test_filters_by_key_and_by_time_since_inclusive_until_exclusive(uow: UnitOfWork) -> None:
    one, two = add_key(uow, "rnc_live_aaaaaaaa"), add_key(uow, "rnc_live_bbbbbbbb")
    with uow() as stores:
        stores.audit.append([entry(0, one), entry(10, two), entry(20, one), entry(30, one)])
    with uow(write=False) as stores:
        by_key = stores.audit.list(limit=10, api_key_id=one)
        window = stores.audit.list(
            limit=10, since=T0 + timedelta(minutes=10), until=T0 + timedelta(minutes=30)
        )
        both = stores.audit.list(limit=10, api_key_id=one, since=T0 + timedelta(minutes=10))
    assert [r.entry.api_key_id for r in by_key] == [one, one, one]
    assert [r.entry.created_at.minute for r in window] == [20, 10]
    assert [r.entry.created_at.minute for r in both] == [30, 20]


def test_a_rolled_back_batch_stores_nothing(uow: UnitOfWork) -> None:
    try:
        with uow() as stores:
            stores.audit.append([entry(0)])
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with uow(write=False) as stores:
        assert list(stores.audit.list(limit=10)) == []


def test_a_mode_filter_keeps_only_the_requests_of_that_modes_keys(uow: UnitOfWork) -> None:
    live, test = add_key(uow, "rnc_live_aaaaaaaa"), add_key(uow, "rnc_test_bbbbbbbb")
    with uow() as stores:
        stores.audit.append([entry(1, key=live), entry(2, key=test), entry(3, key=None)])
    with uow(write=False) as stores:
        seen = stores.audit.list(limit=10, mode=Mode.TEST)
        assert [(r.entry.api_key_id, r.key_id) for r in seen] == [(test, "rnc_test_bbbbbbbb")]
        assert [r.entry.api_key_id for r in stores.audit.list(limit=10, mode=Mode.LIVE)] == [live]
        assert len(stores.audit.list(limit=10)) == 3
