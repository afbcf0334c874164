"""Who may call what, and which keys and webhooks a key may touch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.access import (
    Access,
    Reach,
    can_manage_webhook,
    check_grantable,
    check_key_target,
    check_key_visible,
    check_new_owner,
    modes_seen,
    reaches,
    webhooks_listed_for,
)
from connect.domain.errors import Forbidden, NotFound, ValidationFailed
from connect.domain.events import EventType
from connect.domain.keys import ALL_SCOPES, ApiKey, Principal, Scope
from connect.domain.mode import Mode
from connect.domain.webhooks import Webhook

NOW = datetime(2026, 6, 1, tzinfo=UTC)
scope_sets = st.frozensets(st.sampled_from(Scope))
modes = st.sampled_from(Mode)
expiries = st.none() | st.integers(min_value=1, max_value=10**7).map(
    lambda s: NOW + timedelta(seconds=s)
)


def principal(scopes: frozenset[Scope], mode: Mode, key: int = 1, expires_at=None) -> Principal:
    return Principal(
        key=key,
        key_id=f"rnc_{mode.value}_abcdefgh",
        scopes=scopes,
        mode=mode,
        expires_at=expires_at,
    )


def api_key(scopes: frozenset[Scope], mode: Mode, id: int = 2, **kw: object) -> ApiKey:
    return ApiKey(
        id=id,
        key_id=f"rnc_{mode.value}_zyxwvuts",
        key_hash="$argon2id$...",
        name="target",
        scopes=scopes,
        mode=mode,
        created_by="t",
        created_at=NOW - timedelta(days=1),
        **kw,  # type: ignore[arg-type]
    )


def webhook(mode: Mode, owner: int | None) -> Webhook:
    return Webhook(
        id=9,
        url="https://hooks.example.org/x",
        events=frozenset({EventType.SUBMISSION_CREATED}),
        secret="whsec_x",
        api_key_id=owner,
        mode=mode,
        created_at=NOW,
    )


@given(scope_sets, st.sampled_from(Scope), modes)
def test_an_operation_refuses_exactly_the_keys_without_its_scope(
    held: frozenset[Scope], needed: Scope, mode: Mode
) -> None:
    access = Access(needed, Reach.SUBMISSIONS)
    if needed in held:
        access.authorize(principal(held, mode))
    else:
        with pytest.raises(Forbidden, match=needed.value):
            access.authorize(principal(held, mode))


@given(scope_sets, modes)
def test_a_public_operation_admits_any_key(held: frozenset[Scope], mode: Mode) -> None:
    Access(None).authorize(principal(held, mode))
    assert Access(None).public


@given(modes, modes)
def test_a_test_key_reaches_only_test_records_and_a_live_key_both(
    actor: Mode, target: Mode
) -> None:
    assert reaches(actor, target) == (actor is Mode.LIVE or target is Mode.TEST)
    seen = modes_seen(actor)
    assert seen is None or reaches(actor, seen)
    assert (seen is None) == (actor is Mode.LIVE)


@given(scope_sets, scope_sets, modes, modes, expiries, expiries)
def test_a_key_grants_only_what_it_holds_in_a_mode_it_reaches_for_no_longer_than_it_lives(
    held: frozenset[Scope],
    wanted: frozenset[Scope],
    granter_mode: Mode,
    mode: Mode,
    granter_expiry: datetime | None,
    expiry: datetime | None,
) -> None:
    granter = principal(held, granter_mode, expires_at=granter_expiry)
    allowed = (
        wanted <= held
        and reaches(granter_mode, mode)
        and (granter_expiry is None or expiry is None or expiry <= granter_expiry)
    )
    if not allowed:
        with pytest.raises(Forbidden):
            check_grantable(granter, wanted, mode, expiry)
        return
    granted = check_grantable(granter, wanted, mode, expiry)
    # The copy never outlives its maker.
    if granter_expiry is not None:
        assert granted is not None and granted <= granter_expiry
    else:
        assert granted == expiry


@given(scope_sets, scope_sets, modes, modes)
def test_a_key_rotates_or_revokes_only_keys_it_could_have_granted(
    held: frozenset[Scope], target_scopes: frozenset[Scope], actor_mode: Mode, target_mode: Mode
) -> None:
    actor = principal(held, actor_mode)
    target = api_key(target_scopes, target_mode)
    if not reaches(actor_mode, target_mode):
        with pytest.raises(NotFound):
            check_key_target(actor, target)
        with pytest.raises(NotFound):
            check_key_visible(actor, target)
    elif not target_scopes <= held:
        with pytest.raises(Forbidden):
            check_key_target(actor, target)
    else:
        check_key_target(actor, target)


def test_a_test_mode_key_manager_cannot_touch_the_live_organizer_key() -> None:
    tester = principal(frozenset({Scope.KEYS_MANAGE}), Mode.TEST)
    organizer = api_key(ALL_SCOPES, Mode.LIVE)
    with pytest.raises(NotFound):
        check_key_target(tester, organizer)
    with pytest.raises(Forbidden):
        check_key_target(principal(frozenset({Scope.KEYS_MANAGE}), Mode.LIVE), organizer)


@given(scope_sets, modes, modes, st.sampled_from([1, 2, None]))
def test_a_webhook_is_managed_by_its_owner_or_an_organizer_of_its_mode(
    held: frozenset[Scope], actor_mode: Mode, hook_mode: Mode, owner: int | None
) -> None:
    actor = principal(held, actor_mode, key=1)
    hook = webhook(hook_mode, owner)
    expected = hook_mode is actor_mode and (Scope.KEYS_MANAGE in held or owner == 1)
    assert can_manage_webhook(actor, hook) == expected
    listed = webhooks_listed_for(actor)
    assert listed == (None if Scope.KEYS_MANAGE in held else 1)


@given(
    scope_sets,
    scope_sets,
    modes,
    modes,
    st.booleans(),
    st.booleans(),
)
def test_a_webhook_moves_only_to_a_usable_key_of_its_mode_that_manages_webhooks(
    held: frozenset[Scope],
    owner_scopes: frozenset[Scope],
    actor_mode: Mode,
    owner_mode: Mode,
    revoked: bool,
    expired: bool,
) -> None:
    actor = principal(held, actor_mode)
    hook = webhook(actor_mode, 1)
    owner = api_key(
        owner_scopes,
        owner_mode,
        revoked_at=NOW - timedelta(seconds=1) if revoked else None,
        expires_at=NOW - timedelta(seconds=1) if expired else None,
    )
    if Scope.KEYS_MANAGE not in held:
        with pytest.raises(Forbidden):
            check_new_owner(actor, hook, owner, NOW)
        return
    fine = (
        owner_mode is actor_mode
        and not revoked
        and not expired
        and Scope.WEBHOOKS_MANAGE in owner_scopes
    )
    if fine:
        assert check_new_owner(actor, hook, owner, NOW) == owner
    else:
        with pytest.raises(ValidationFailed):
            check_new_owner(actor, hook, owner, NOW)


def test_a_key_in_its_rotation_grace_period_cannot_take_a_webhook() -> None:
    organizer = principal(ALL_SCOPES, Mode.LIVE)
    rotating = api_key(ALL_SCOPES, Mode.LIVE, revoked_at=NOW + timedelta(hours=1))
    with pytest.raises(ValidationFailed, match="revoked"):
        check_new_owner(organizer, webhook(Mode.LIVE, 1), rotating, NOW)
    with pytest.raises(ValidationFailed):
        check_new_owner(organizer, webhook(Mode.LIVE, 1), None, NOW)
    assert check_new_owner(organizer, webhook(Mode.LIVE, 1), evolve(rotating, revoked_at=None), NOW)
