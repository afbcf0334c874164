from __future__ import annotations

import hashlib
import threading
import time
from typing import Literal

import pytest
from argon2 import PasswordHasher

from connect.adapters.hashing import Argon2Hasher, VerifiedTokenCache
from connect.domain.errors import Overloaded

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


class GatedPasswordHasher(PasswordHasher):
    """Tiny argon2 whose verifications wait for ``gate``; records how many ran at once."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.gate = threading.Event()
        self.inside = 0
        self.peak = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._lock:
            self.inside += 1
            self.peak = max(self.peak, self.inside)
        try:
            self.gate.wait(10)
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.inside -= 1


def test_new_hashes_use_owasp_parameters_and_old_default_hashes_still_verify() -> None:
    hasher = Argon2Hasher()
    assert hasher.hash("rnc_live_x").startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    old = PasswordHasher().hash("rnc_live_old")  # argon2-cffi's default: 64 MiB, t=3, p=4
    assert old.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(old, "rnc_live_old") and not hasher.verify(old, "rnc_live_new")


def test_at_most_the_configured_number_of_verifications_run_at_once() -> None:
    gated = GatedPasswordHasher()
    hasher = Argon2Hasher(gated, concurrency=2, wait=30)
    stored = hasher.hash("rnc_live_token")
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(hasher.verify(stored, "rnc_live_wrong")))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for _ in range(500):
        if gated.inside == 2:
            break
        time.sleep(0.01)
    assert gated.inside == 2
    gated.gate.set()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [False] * 6
    assert gated.peak == 2


def test_a_full_hasher_refuses_after_its_wait_but_a_verified_token_needs_no_slot() -> None:
    gated = GatedPasswordHasher()
    cache = VerifiedTokenCache(Argon2Hasher(gated, concurrency=1, wait=0.05))
    stored = cache.hash("rnc_live_token")
    gated.gate.set()
    assert cache.verify(stored, "rnc_live_token")  # now remembered
    gated.gate.clear()
    holder = threading.Thread(target=cache.verify, args=(stored, "rnc_live_wrong"))
    holder.start()
    for _ in range(500):
        if gated.inside == 1:
            break
        time.sleep(0.01)
    try:
        with pytest.raises(Overloaded) as refused:
            cache.verify(stored, "rnc_live_other")
        assert refused.value.retry_after >= 1
        assert cache.remembers(stored, "rnc_live_token")
        assert cache.verify(stored, "rnc_live_token"), "no slot needed for a verified token"
    finally:
        gated.gate.set()
        holder.join(timeout=10)


class GatedArgon2(Argon2Hasher):
    """Verifications wait for the test to open the gate, so callers pile up."""

    def __init__(self, fail: BaseException | None = None) -> None:
        super().__init__(FAST, concurrency=8)
        self.gate = threading.Event()
        self.started = threading.Event()
        self.verifications = 0
        self.fail = fail

    def verify(self, token_hash: str, token: str) -> bool:
        self.verifications += 1
        self.started.set()
        self.gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return super().verify(token_hash, token)


@pytest.mark.parametrize("presented", ["rnc_live_token", "rnc_live_wrong"])
def test_requests_arriving_together_with_one_token_share_one_argon2_run(presented: str) -> None:
    inner = GatedArgon2()
    cache = VerifiedTokenCache(inner)
    stored = cache.hash("rnc_live_token")
    outcomes: list[bool] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(cache.verify(stored, presented)))
        for _ in range(12)
    ]
    for thread in threads:
        thread.start()
    assert inner.started.wait(5)
    time.sleep(0.05)  # NOTE: lets the others reach the wait; correctness does not need it
    inner.gate.set()
    for thread in threads:
        thread.join(10)
    assert inner.verifications == 1
    assert outcomes == [presented == "rnc_live_token"] * 12


def test_requests_waiting_on_an_overloaded_verification_are_told_so_too() -> None:
    inner = GatedArgon2(fail=Overloaded("key verification", retry_after=1))
    cache = VerifiedTokenCache(inner)
    stored = cache.hash("rnc_live_token")
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            cache.verify(stored, "rnc_live_token")
        except Overloaded as e:
            errors.append(e)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    assert inner.started.wait(5)
    time.sleep(0.05)
    inner.gate.set()
    for thread in threads:
        thread.join(10)
    assert len(errors) == 4
    inner.fail, inner.gate = None, threading.Event()
    inner.gate.set()
    assert cache.verify(stored, "rnc_live_token")  # nothing stuck behind
