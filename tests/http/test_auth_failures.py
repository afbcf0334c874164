"""The auth-failures policies, in process: only wrong secrets that cost an argon2 check
count, per client address and per key id, and a verified token is never refused."""

from __future__ import annotations

import string
from collections.abc import Iterator

import falcon
import falcon.testing
import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.adapters.hashing import Argon2Hasher, VerifiedTokenCache
from connect.adapters.http import create_app
from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import Connect, bootstrap
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.testing import FixedEntropy, ManualClock

PER_ADDRESS = 3
PER_KEY = 5


class CountingArgon2(Argon2Hasher):
    """Real argon2id with tiny parameters, counting the verifications that ran."""

    def __init__(self) -> None:
        super().__init__(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        self.verifications = 0

    def verify(self, token_hash: str, token: str) -> bool:
        self.verifications += 1
        return super().verify(token_hash, token)


class Site:
    """The app over memory storage, a verified-token cache over counting argon2."""

    def __init__(self) -> None:
        self.argon2 = CountingArgon2()
        config = Config(
            db=":memory:",
            auth_failure_limit=(PER_ADDRESS, 60),
            auth_failure_limit_per_key=(PER_KEY, 60),
            audit=False,
        )
        self.connect: Connect = bootstrap(
            config,
            MemoryUnitOfWork(),
            clock=ManualClock(),
            entropy=FixedEntropy(11),
            hasher=VerifiedTokenCache(self.argon2),
        )
        self.client = falcon.testing.TestClient(create_app(self.connect))

    def token(self, name: str = "t") -> str:
        return self.connect.keys.create(name=name, scopes=ALL_SCOPES, created_by="tests").token

    def get(self, ip: str, token: str | None) -> falcon.testing.Result:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return self.client.simulate_get("/api/v1/submissions", headers=headers, remote_addr=ip)


def wrong(token: str) -> str:
    """The same key id with another secret."""
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    yield site
    site.connect.close()


def test_an_address_over_its_failure_quota_still_gets_in_with_a_verified_key(site: Site) -> None:
    organizer = site.token("organizer")
    assert site.get("198.51.100.7", organizer).status_code == 200  # now verified (cached)
    target = site.token("integration")
    failed = [site.get("198.51.100.7", wrong(target)) for _ in range(PER_ADDRESS)]
    assert [r.status_code for r in failed] == [401] * PER_ADDRESS
    assert failed[-1].headers["RateLimit"].startswith('"auth-failures";r=0;')

    checked = site.argon2.verifications
    refused = site.get("198.51.100.7", wrong(target))
    assert refused.status_code == 429
    assert refused.json["type"] == "/docs/api#problem-rate-limited-auth-failures"
    assert refused.headers["RateLimit-Policy"] == f'"auth-failures";q={PER_ADDRESS};w=60'
    assert refused.headers["Retry-After"] == refused.headers["RateLimit"].rsplit("=", 1)[1]
    assert site.argon2.verifications == checked, "a refused guess runs no argon2"

    assert site.get("198.51.100.7", organizer).status_code == 200, "the verified key works"
    assert site.get("198.51.100.8", target).status_code == 200, "another address is counted apart"


def test_malformed_tokens_and_unknown_key_ids_cost_nothing_and_count_for_nothing(
    site: Site,
) -> None:
    real = site.token()
    junk = ["x", "rnc_live_short", "Bearer", "rnc_live_" + "0" * 24, "rnc_test_" + "Z" * 24]
    for presented in junk * 10:
        reply = site.get("203.0.113.9", presented)
        assert reply.status_code == 401
        assert "RateLimit" not in reply.headers
    assert (
        site.client.simulate_get(
            "/api/v1/submissions", headers={"Authorization": "Basic abc"}, remote_addr="203.0.113.9"
        ).status_code
        == 401
    )
    assert site.argon2.verifications == 0
    # A valid key never verified before still gets its (one) argon2 check.
    assert site.get("203.0.113.9", real).status_code == 200
    assert site.argon2.verifications == 1


def test_guesses_at_one_key_id_from_many_addresses_stop_at_the_per_key_quota(site: Site) -> None:
    target = site.token("target")
    bystander = site.token("bystander")
    assert site.get("192.0.2.200", bystander).status_code == 200
    addresses = [f"192.0.2.{n}" for n in range(1, 40)]
    replies = [site.get(ip, wrong(target)) for ip in addresses]
    statuses = [r.status_code for r in replies]
    assert statuses == [401] * PER_KEY + [429] * (len(addresses) - PER_KEY)
    assert site.argon2.verifications == PER_KEY + 1
    assert replies[-1].json["type"] == "/docs/api#problem-rate-limited-auth-failures-per-key"
    assert replies[-1].headers["RateLimit-Policy"] == f'"auth-failures-per-key";q={PER_KEY};w=60'
    # Past the bound only a slow check is refused: the target's own token, never
    # verified in this process, must wait; another key id is not affected.
    assert site.get("192.0.2.250", target).status_code == 429
    assert site.get("192.0.2.250", bystander).status_code == 200
    assert site.get("192.0.2.251", site.token("new")).status_code == 200


Request = tuple[str, int, str]  # (what is presented, which address, which key)

requests = st.lists(
    st.tuples(
        st.sampled_from(["valid", "wrong", "malformed", "unknown"]),
        st.integers(0, 3),
        st.sampled_from(["a", "b"]),
    ),
    max_size=60,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests, st.text(string.ascii_letters, min_size=1, max_size=8))
def test_a_verified_key_is_always_served_and_guesses_never_exceed_either_quota(
    sequence: list[Request], junk: str
) -> None:
    site = Site()
    try:
        tokens = {name: site.token(name) for name in ("a", "b")}
        for token in tokens.values():
            assert site.get("192.0.2.99", token).status_code == 200  # verified once
        runs_before = site.argon2.verifications
        guesses: dict[str, int] = {"a": 0, "b": 0}
        by_address: dict[int, int] = {}
        for what, address, key in sequence:
            ip = f"198.51.100.{address}"
            presented = {
                "valid": tokens[key],
                "wrong": wrong(tokens[key]),
                "malformed": junk,
                "unknown": "rnc_live_" + "9" * 24,
            }[what]
            before = site.argon2.verifications
            status = site.get(ip, presented).status_code
            ran = site.argon2.verifications - before
            if what == "valid":
                assert status == 200 and ran == 0
            elif what == "wrong":
                assert status in (401, 429)
                assert ran == (1 if status == 401 else 0)
                guesses[key] += ran
                by_address[address] = by_address.get(address, 0) + ran
            else:
                assert status == 401 and ran == 0
        assert all(count <= PER_KEY for count in guesses.values())
        assert all(count <= PER_ADDRESS for count in by_address.values())
        assert site.argon2.verifications - runs_before == sum(guesses.values())
    finally:
        site.connect.close()
