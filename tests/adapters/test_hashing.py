from __future__ import annotations

import hashlib

from argon2 import PasswordHasher

from connect.adapters.hashing import Argon2Hasher, VerifiedTokenCache

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class CountingArgon2(Argon2Hasher):
    def __init__(self) -> None:
        super().__init__(FAST)
        self.verifications = 0

    def verify(self, token_hash: str, token: str) -> bool:
        self.verifications += 1
        return super().verify(token_hash, token)


def test_hashes_are_argon2id_and_salted() -> None:
    hasher = Argon2Hasher()
    first, second = hasher.hash("rnc_live_x"), hasher.hash("rnc_live_x")
    assert first.startswith("$argon2id$") and first != second
    assert hasher.verify(first, "rnc_live_x") and not hasher.verify(first, "rnc_live_y")
    assert not hasher.verify("not a hash", "rnc_live_x")


def test_argon2_runs_once_per_token_per_process() -> None:
    inner = CountingArgon2()
    cache = VerifiedTokenCache(inner)
    stored = cache.hash("rnc_live_token")
    assert all(cache.verify(stored, "rnc_live_token") for _ in range(50))
    assert inner.verifications == 1


def test_a_wrong_token_is_never_remembered() -> None:
    inner = CountingArgon2()
    cache = VerifiedTokenCache(inner)
    stored = cache.hash("rnc_live_token")
    assert not cache.verify(stored, "rnc_live_other")
    assert not cache.verify(stored, "rnc_live_other")
    assert inner.verifications == 2


def test_a_remembered_token_is_checked_again_against_a_different_hash() -> None:
    inner = CountingArgon2()
    cache = VerifiedTokenCache(inner)
    stored, other = cache.hash("rnc_live_token"), cache.hash("rnc_live_elsewhere")
    assert cache.verify(stored, "rnc_live_token")
    assert not cache.verify(other, "rnc_live_token")


def test_the_cache_holds_digests_not_tokens_and_is_bounded() -> None:
    cache = VerifiedTokenCache(CountingArgon2(), size=3)
    for i in range(5):
        token = f"rnc_live_token{i}"
        assert cache.verify(cache.hash(token), token)
    assert len(cache) == 3
    keys = list(cache._entries)
    assert hashlib.sha256(b"rnc_live_token4").digest() in keys
    assert all(b"rnc_live" not in k for k in keys)
