from __future__ import annotations

from datetime import timedelta

import pytest

from connect.bootstrap import Connect
from connect.domain.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from connect.domain.keys import ALL_SCOPES, Principal, Scope
from connect.domain.mode import Mode
from connect.testing import ManualClock
from tests.conftest import principal

READ = frozenset({Scope.SUBMISSIONS_READ})


def test_a_created_key_authenticates_with_its_scopes_and_mode(memory_connect: Connect) -> None:
    issued = memory_connect.keys.create(name="zap", scopes=READ, mode=Mode.TEST, created_by="t")
    assert issued.token.startswith("rnc_test_") and issued.key.key_id == issued.token[:17]
    assert issued.token not in issued.key.key_hash
    caller = memory_connect.keys.authenticate(issued.token)
    assert (caller.key_id, caller.scopes, caller.mode) == (issued.key.key_id, READ, Mode.TEST)


@pytest.mark.parametrize("token", [None, "", "Bearer", "rnc_live_short", "rnc_live_" + "x" * 24])
def test_missing_malformed_or_unknown_tokens_are_refused(
    memory_connect: Connect, token: str | None
) -> None:
    with pytest.raises(Unauthenticated):
        memory_connect.keys.authenticate(token)


def test_a_token_with_a_known_key_id_but_wrong_secret_is_refused(memory_connect: Connect) -> None:
    issued = memory_connect.keys.create(name="zap", scopes=READ, created_by="t")
    forged = issued.token[:17] + ("A" if issued.token[17] != "A" else "B") + issued.token[18:]
    with pytest.raises(Unauthenticated):
        memory_connect.keys.authenticate(forged)


def test_revocation_takes_effect_on_the_very_next_request(memory_connect: Connect) -> None:
    issued = memory_connect.keys.create(name="zap", scopes=READ, created_by="t")
    memory_connect.keys.authenticate(issued.token)
    memory_connect.keys.revoke(None, issued.key.key_id)
    with pytest.raises(Unauthenticated):
        memory_connect.keys.authenticate(issued.token)


def test_an_expired_key_is_refused(memory_connect: Connect, clock: ManualClock) -> None:
    issued = memory_connect.keys.create(
        name="zap", scopes=READ, created_by="t", expires_at=clock.now() + timedelta(hours=1)
    )
    memory_connect.keys.authenticate(issued.token)
    clock.advance(hours=1)
    with pytest.raises(Unauthenticated):
        memory_connect.keys.authenticate(issued.token)


def test_an_expiry_in_the_past_is_refused(memory_connect: Connect, clock: ManualClock) -> None:
    with pytest.raises(ValidationFailed):
        memory_connect.keys.create(name="x", scopes=READ, created_by="t", expires_at=clock.now())


def test_last_used_is_written_at_most_once_a_minute(
    memory_connect: Connect, clock: ManualClock
) -> None:
    issued = memory_connect.keys.create(name="zap", scopes=READ, created_by="t")
    organizer = principal()
    first = clock.now()
    memory_connect.keys.authenticate(issued.token)
    clock.advance(59)
    memory_connect.keys.authenticate(issued.token)
    assert memory_connect.keys.get(organizer, issued.key.key_id).last_used_at == first
    clock.advance(1)
    memory_connect.keys.authenticate(issued.token)
    assert memory_connect.keys.get(organizer, issued.key.key_id).last_used_at == first + timedelta(
        seconds=60
    )


def test_rotation_keeps_the_old_token_for_the_grace_period(
    memory_connect: Connect, clock: ManualClock
) -> None:
    old = memory_connect.keys.create(name="zap", scopes=READ, created_by="t")
    new = memory_connect.keys.rotate(principal(), str(old.key.id), grace_seconds=600)
    assert new.token != old.token
    assert (new.key.name, new.key.scopes, new.key.mode) == (
        old.key.name,
        old.key.scopes,
        old.key.mode,
    )
    memory_connect.keys.authenticate(old.token)
    clock.advance(600)
    with pytest.raises(Unauthenticated):
        memory_connect.keys.authenticate(old.token)
    memory_connect.keys.authenticate(new.token)


def test_rotation_with_no_grace_ends_the_old_token_now(memory_connect: Connect) -> None:
    old = memory_connect.keys.create(name="zap", scopes=READ, created_by="t")
    memory_connect.keys.rotate(principal(), old.key.key_id, grace_seconds=0)
    with pytest.raises(Unauthenticated):
        memory_connect.keys.authenticate(old.token)


def test_a_revoked_key_cannot_be_rotated(memory_connect: Connect) -> None:
    old = memory_connect.keys.create(name="zap", scopes=READ, created_by="t")
    memory_connect.keys.revoke(principal(), old.key.key_id)
    with pytest.raises(Conflict):
        memory_connect.keys.rotate(principal(), old.key.key_id, grace_seconds=0)


def test_a_key_cannot_grant_more_than_it_holds(memory_connect: Connect) -> None:
    manager = principal(scopes=frozenset({Scope.KEYS_MANAGE, Scope.SUBMISSIONS_READ}))
    memory_connect.keys.create(name="ok", scopes=READ, created_by="t", granter=manager)
    with pytest.raises(Forbidden):
        memory_connect.keys.create(name="no", scopes=ALL_SCOPES, created_by="t", granter=manager)


def test_an_unknown_key_is_not_found(memory_connect: Connect) -> None:
    with pytest.raises(NotFound):
        memory_connect.keys.revoke(principal(), "rnc_live_nothere0")


def test_the_first_organizer_key_is_made_once_on_an_empty_database(memory_connect: Connect) -> None:
    first = memory_connect.keys.ensure_organizer_key()
    assert first is not None and first.key.scopes == ALL_SCOPES and first.key.mode is Mode.LIVE
    assert memory_connect.keys.ensure_organizer_key() is None
    assert isinstance(memory_connect.keys.authenticate(first.token), Principal)


def test_a_narrow_key_manager_cannot_rotate_or_revoke_a_broader_key(
    memory_connect: Connect,
) -> None:
    organizer = memory_connect.keys.create(name="org", scopes=ALL_SCOPES, created_by="t").key
    manager = principal(scopes=frozenset({Scope.KEYS_MANAGE}))
    with pytest.raises(Forbidden):
        memory_connect.keys.rotate(manager, organizer.key_id, grace_seconds=0)
    with pytest.raises(Forbidden):
        memory_connect.keys.revoke(manager, organizer.key_id)
    assert memory_connect.keys.get(manager, organizer.key_id).revoked_at is None


def test_a_test_mode_key_sees_and_touches_only_test_keys(memory_connect: Connect) -> None:
    live = memory_connect.keys.create(name="live", scopes=ALL_SCOPES, created_by="t").key
    test = memory_connect.keys.create(name="test", scopes=READ, mode=Mode.TEST, created_by="t").key
    tester = principal(mode=Mode.TEST, scopes=ALL_SCOPES)
    listed = memory_connect.keys.list(tester, limit=50, cursor=None).items
    assert [k.id for k in listed] == [test.id]
    for act in (
        lambda: memory_connect.keys.get(tester, live.key_id),
        lambda: memory_connect.keys.revoke(tester, str(live.id)),
        lambda: memory_connect.keys.rotate(tester, live.key_id, grace_seconds=0),
    ):
        with pytest.raises(NotFound):
            act()
    assert memory_connect.keys.get(principal(), live.key_id).revoked_at is None
    rotated = memory_connect.keys.rotate(tester, test.key_id, grace_seconds=0)
    assert rotated.key.mode is Mode.TEST
    organizer_sees = memory_connect.keys.list(principal(), limit=50, cursor=None).items
    assert {k.mode for k in organizer_sees} == {Mode.LIVE, Mode.TEST}


def test_a_key_that_expires_makes_keys_that_expire_no_later(
    memory_connect: Connect, clock: ManualClock
) -> None:
    ends = clock.now() + timedelta(days=7)
    maker = Principal(
        key=1, key_id="rnc_live_abcdefgh", scopes=ALL_SCOPES, mode=Mode.LIVE, expires_at=ends
    )
    made = memory_connect.keys.create(name="copy", scopes=READ, created_by="t", granter=maker)
    assert made.key.expires_at == ends
    with pytest.raises(Forbidden):
        memory_connect.keys.create(
            name="longer",
            scopes=READ,
            created_by="t",
            granter=maker,
            expires_at=ends + timedelta(seconds=1),
        )
