from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect import verify_webhook
from connect.domain.signing import (
    InvalidSecret,
    InvalidSignature,
    MissingSignature,
    StaleTimestamp,
    WebhookVerificationError,
    generate_secret,
    signature_headers,
)

secrets_ = st.binary(min_size=32, max_size=32).map(
    lambda b: "whsec_" + base64.b64encode(b).decode()
)
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=30)
stamps = st.integers(min_value=1_600_000_000, max_value=2_000_000_000)
bodies = st.binary(max_size=300)
STANDARD = ("webhook-id", "webhook-timestamp", "webhook-signature")
LEGACY = ("X-Timestamp", "X-Signature")


def only(headers: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k in names}


@given(secrets_, ids, stamps, bodies)
def test_a_signature_verifies_under_either_header_family(secret, msg_id, ts, body):
    headers = signature_headers(msg_id, ts, body, [secret])
    verify_webhook(secret, only(headers, STANDARD), body, now=ts)
    verify_webhook(secret, only(headers, LEGACY), body, now=ts)
    verify_webhook(secret, {k.upper(): v for k, v in headers.items()}, body, now=ts + 299)


@given(secrets_, ids, stamps, bodies, st.data())
def test_changing_any_byte_of_the_body_fails(secret, msg_id, ts, body, data):
    headers = signature_headers(msg_id, ts, body, [secret])
    tampered = bytearray(body + b"x")
    index = data.draw(st.integers(0, len(tampered) - 1))
    tampered[index] ^= data.draw(st.integers(1, 255))
    for family in (STANDARD, LEGACY):
        with pytest.raises(InvalidSignature):
            verify_webhook(secret, only(headers, family), bytes(tampered), now=ts)


@given(secrets_, ids, stamps, bodies, st.data())
def test_changing_the_id_timestamp_or_secret_fails(secret, msg_id, ts, body, data):
    headers = signature_headers(msg_id, ts, body, [secret])
    index = data.draw(st.integers(0, len(msg_id) - 1))
    other_char = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789_-."))
    changed_id = msg_id[:index] + other_char + msg_id[index + 1 :]
    if changed_id != msg_id:
        with pytest.raises(InvalidSignature):
            verify_webhook(
                secret, {**only(headers, STANDARD), "webhook-id": changed_id}, body, now=ts
            )
    moved = ts + data.draw(st.integers(1, 200))
    for names, key in ((STANDARD, "webhook-timestamp"), (LEGACY, "X-Timestamp")):
        with pytest.raises(InvalidSignature):
            verify_webhook(secret, {**only(headers, names), key: str(moved)}, body, now=ts)
    raw = bytearray(base64.b64decode(secret[6:]))
    raw[data.draw(st.integers(0, 31))] ^= data.draw(st.integers(1, 255))
    other = "whsec_" + base64.b64encode(bytes(raw)).decode()
    for family in (STANDARD, LEGACY):
        with pytest.raises(InvalidSignature):
            verify_webhook(other, only(headers, family), body, now=ts)


@given(secrets_, ids, stamps, bodies, st.integers(301, 10**6))
def test_stale_and_future_timestamps_fail(secret, msg_id, ts, body, skew):
    headers = signature_headers(msg_id, ts, body, [secret])
    for now in (ts + skew, ts - skew):
        for family in (STANDARD, LEGACY):
            with pytest.raises(StaleTimestamp):
                verify_webhook(secret, only(headers, family), body, now=now)


@given(secrets_, secrets_, ids, stamps, bodies)
def test_during_a_rotation_both_secrets_verify(old, new, msg_id, ts, body):
    headers = signature_headers(msg_id, ts, body, [new, old])
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert len(headers["X-Signature"].split(",")) == 2
    for secret in (old, new):
        verify_webhook(secret, only(headers, STANDARD), body, now=ts)
        verify_webhook(secret, only(headers, LEGACY), body, now=ts)


def test_the_errors_are_clear_and_belong_to_the_family():
    secret = generate_secret(lambda n: b"\x01" * n)
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    with pytest.raises(MissingSignature, match="no webhook-signature"):
        verify_webhook(secret, {}, b"{}", now=0)
    with pytest.raises(InvalidSecret):
        verify_webhook("not-a-secret", {}, b"{}", now=0)
    assert issubclass(WebhookVerificationError, ValueError)


def test_the_signature_is_exactly_the_standard_webhooks_one():
    # The Standard Webhooks reference vector (svix test suite).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    headers = signature_headers("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, [secret])
    assert headers["webhook-signature"] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
