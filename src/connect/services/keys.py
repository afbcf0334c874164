"""API keys: issue, list, revoke, rotate, and authenticate a token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from attrs import evolve, frozen

from connect.domain.access import (
    check_grantable,
    check_key_target,
    check_key_visible,
    modes_seen,
)
from connect.domain.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from connect.domain.keys import (
    ALL_SCOPES,
    ApiKey,
    NewApiKey,
    Principal,
    Scope,
    Token,
    generate_token,
    parse_token,
)
from connect.domain.mode import Mode
from connect.domain.pagination import Page, decode_cursor, page_of
from connect.domain.webhooks import REASON_OWNER_REVOKED
from connect.ports.hashing import TokenHasher, VerificationGuard
from connect.ports.system import Clock, Entropy
from connect.ports.unit_of_work import Stores, UnitOfWork

_T = TypeVar("_T")


@frozen
class _Fresh:
    """A new token and its hash, made before any transaction opens."""

    token: Token
    key_hash: str


class _KeyIdTaken(Exception):
    """The new token's key_id exists already (the transaction was rolled back)."""


@frozen
class IssuedKey:
    """A key and its token. The token exists only here, once."""

    key: ApiKey
    token: str


def lookup(stores: Stores, ident: str) -> ApiKey | None:
    """The key ``ident`` names: its number or its public ``key_id``."""
    # NOTE: only plain ASCII digits that fit SQLite's integer are a number (int() also
    # accepts "²" and sqlite3 overflows past 2**63).
    numeric = ident.isascii() and ident.isdigit() and len(ident) <= 18
    return stores.keys.get(int(ident)) if numeric else stores.keys.find(ident)


@frozen(eq=False)
class KeyService:
    """Issues and checks API keys; only a slow hash of each token is stored."""

    _uow: UnitOfWork
    _clock: Clock
    _entropy: Entropy
    _hasher: TokenHasher

    def create(
        self,
        *,
        name: str,
        scopes: frozenset[Scope],
        mode: Mode = Mode.LIVE,
        expires_at: datetime | None = None,
        created_by: str,
        granter: Principal | None = None,
    ) -> IssuedKey:
        """Issue a new key. ``granter=None`` means a trusted local caller (the CLI); any
        other grants only what ``check_grantable`` allows (which may set the expiry).

        Raises:
            Forbidden: the granter may not grant these scopes, this mode or this expiry.
            ValidationFailed: ``expires_at`` is not in the future.
        """
        if granter is not None:
            expires_at = check_grantable(granter, scopes, mode, expires_at)
        now = self._clock.now()
        if expires_at is not None and expires_at <= now:
            raise ValidationFailed.single("expires_at", "must be in the future")

        def write(fresh: _Fresh) -> IssuedKey:
            with self._uow() as stores:
                return self._issue(stores, fresh, name, scopes, expires_at, created_by, now)

        return self._with_fresh_token(mode, write)

    def _with_fresh_token(self, mode: Mode, write: Callable[[_Fresh], _T]) -> _T:
        for _ in range(3):
            # NOTE: argon2 runs here, before ``write`` opens its transaction: hashing
            # inside one held SQLite's write lock for the whole hash and stalled every
            # other writer. A key_id collision rolls ``write`` back and hashes anew.
            token = generate_token(mode, self._entropy.choice)
            fresh = _Fresh(token, self._hasher.hash(str(token)))
            try:
                return write(fresh)
            except _KeyIdTaken:
                continue  # a key_id collision: 1 in 62**8, try another token
        raise Conflict("could not generate a unique key id")

    @staticmethod
    def _issue(
        stores: Stores,
        fresh: _Fresh,
        name: str,
        scopes: frozenset[Scope],
        expires_at: datetime | None,
        created_by: str,
        now: datetime,
    ) -> IssuedKey:
        new = NewApiKey(
            key_id=fresh.token.key_id,
            key_hash=fresh.key_hash,
            name=name,
            scopes=scopes,
            mode=fresh.token.mode,
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        )
        try:
            return IssuedKey(stores.keys.add(new), str(fresh.token))
        except Conflict as e:
            raise _KeyIdTaken from e

    def ensure_organizer_key(self) -> IssuedKey | None:
        """On an empty database, issue the first organizer key (every scope)."""
        with self._uow(write=False) as stores:
            if stores.keys.count() > 0:
                return None

        def write(fresh: _Fresh) -> IssuedKey | None:
            with self._uow() as stores:
                if stores.keys.count() > 0:
                    return None  # another process was quicker
                return self._issue(
                    stores, fresh, "organizer", ALL_SCOPES, None, "connect serve", self._clock.now()
                )

        return self._with_fresh_token(Mode.LIVE, write)

    def list(self, principal: Principal, *, limit: int, cursor: str | None) -> Page[ApiKey]:
        """Newest first: every key for a live key, test-mode keys only for a test key."""
        before = decode_cursor(cursor)
        with self._uow(write=False) as stores:
            rows = stores.keys.list(limit=limit + 1, before=before, mode=modes_seen(principal.mode))
        return page_of(rows, limit, lambda k: k.id)

    def get(self, principal: Principal, ident: str) -> ApiKey:
        """Raises:
        NotFound: no such key, or one of a mode the caller cannot reach.
        """
        with self._uow(write=False) as stores:
            key = self._find(stores, ident)
        check_key_visible(principal, key)
        return key

    @staticmethod
    def _find(stores: Stores, ident: str) -> ApiKey:
        key = lookup(stores, ident)
        if key is None:
            raise NotFound(f"no API key {ident}")
        return key

    def revoke(self, principal: Principal | None, ident: str) -> ApiKey:
        """Revoke now (idempotent: an already revoked key keeps its first time), and
        disable the webhooks it owns (reason ``owner_revoked``; their deliveries are
        paused and kept). ``principal=None`` means a trusted local caller (the CLI).

        Raises:
            NotFound: no such key within the caller's reach.
            Forbidden: the key holds scopes the caller does not.
        """
        now = self._clock.now()
        with self._uow() as stores:
            key = self._find(stores, ident)
            if principal is not None:
                check_key_target(principal, key)
            if key.revoked_at is None or key.revoked_at > now:
                key = evolve(key, revoked_at=now)
                stores.keys.save(key)
                for webhook in stores.webhooks.owned_by(key.id):
                    if webhook.active:
                        stores.webhooks.save(webhook.disabled(REASON_OWNER_REVOKED, now))
                        stores.deliveries.pause(webhook.id, now)
            return key

    def rotate(self, principal: Principal, ident: str, *, grace_seconds: int) -> IssuedKey:
        """A new token with the same name, scopes, mode and expiry, owning the old
        key's webhooks; the old one keeps working for ``grace_seconds``.

        Raises:
            NotFound: no such key within the caller's reach.
            Forbidden: the key holds scopes the caller does not.
            Conflict: the key is already revoked or expired.
        """
        now = self._clock.now()
        with self._uow(write=False) as stores:
            target = self._find(stores, ident)
        # NOTE: checked before the (slow) new token is hashed; scopes and mode of a key
        # never change, so the check still holds in the write below.
        check_key_target(principal, target)
        mode = target.mode

        def write(fresh: _Fresh) -> IssuedKey:
            with self._uow() as stores:
                old = self._find(stores, ident)
                if not old.is_usable(now) or old.revoked_at is not None:
                    raise Conflict(f"key {old.key_id} is revoked or expired; create a new one")
                issued = self._issue(
                    stores, fresh, old.name, old.scopes, old.expires_at, old.created_by, now
                )
                stores.keys.save(evolve(old, revoked_at=now + timedelta(seconds=grace_seconds)))
                stores.webhooks.transfer(old.id, issued.key.id)
                return issued

        return self._with_fresh_token(mode, write)

    def authenticate(
        self, presented: str | None, guard: VerificationGuard | None = None
    ) -> Principal:
        """The principal for a ``presented`` token. The ``guard`` is asked before a slow
        verification (a token this process has not verified yet) and told when one
        fails; a malformed token or an unknown key id costs nothing and is not reported.

        Raises:
            Unauthenticated: missing, malformed, unknown, revoked or expired.
            RateLimited: the guard refused the slow verification.
            Overloaded: too many verifications are running.
        """
        token: Token | None = parse_token(presented) if presented else None
        if token is None:
            raise Unauthenticated("a valid API key is required")
        now = self._clock.now()
        with self._uow(write=False) as stores:
            key = stores.keys.find(token.key_id)
        # NOTE: answering early for an unknown key_id reveals nothing secret: key ids
        # are public. The hash comparison itself is constant-time.
        if key is None:
            raise Unauthenticated("the API key is not valid")
        # NOTE: a token verified before is accepted before the guard is asked, so no
        # amount of failures from an address or for a key id locks out a working key.
        if not self._hasher.remembers(key.key_hash, str(token)):
            if guard is not None:
                guard.before_verifying(key.key_id)
            if not self._hasher.verify(key.key_hash, str(token)):
                if guard is not None:
                    guard.verification_failed(key.key_id)
                raise Unauthenticated("the API key is not valid")
        if not key.is_usable(now):
            raise Unauthenticated("the API key is revoked or expired")
        if key.needs_touch(now):
            with self._uow() as stores:
                stores.keys.touch(key.id, now)
        return Principal.of(key)
