"""AES-GCM sealing of stored secrets: round trips, and fails loudly on anything else."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.crypto import AeadSecretBox, key_id
from connect.domain.errors import SecretUnreadable

OLD, NEW = bytes(range(32)), bytes(range(1, 33))
CONTEXT = "webhooks_1.secret:7"


@given(st.text(), st.text(min_size=1))
def test_a_sealed_secret_opens_to_itself_in_its_own_context(secret: str, context: str) -> None:
    box = AeadSecretBox([OLD])
    sealed = box.seal(secret, context)
    assert box.is_sealed(sealed) and sealed.startswith(f"v1:{key_id(OLD)}:")
    assert box.open(sealed, context) == secret


def test_sealing_twice_gives_two_values_and_neither_holds_the_secret() -> None:
    box = AeadSecretBox([OLD])
    secret = "whsec_" + base64.b64encode(bytes(32)).decode()
    first, second = box.seal(secret, CONTEXT), box.seal(secret, CONTEXT)
    assert first != second  # a fresh nonce each time
    assert secret not in first and secret[6:20] not in first


@pytest.mark.parametrize(
    "where", ["webhooks_1.secret:8", "webhooks_1.previous_secret:7", "api_keys_1.secret:7"]
)
def test_a_value_moved_to_another_row_or_column_does_not_open(where: str) -> None:
    box = AeadSecretBox([OLD])
    with pytest.raises(SecretUnreadable, match="altered or moved"):
        box.open(box.seal("whsec_x", CONTEXT), where)


def test_the_wrong_key_is_a_clear_error_never_a_garbage_secret() -> None:
    sealed = AeadSecretBox([OLD]).seal("whsec_x", CONTEXT)
    with pytest.raises(SecretUnreadable, match=f"sealed with key {key_id(OLD)}.*CONNECT_SECRET"):
        AeadSecretBox([NEW], source="CONNECT_SECRET_KEY").open(sealed, CONTEXT)
    # Relabelled with the other key's id, it still does not open.
    forged = sealed.replace(key_id(OLD), key_id(NEW))
    with pytest.raises(SecretUnreadable):
        AeadSecretBox([NEW]).open(forged, CONTEXT)


@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_flipped_byte_makes_the_value_unreadable(position: int, flip: int) -> None:
    box = AeadSecretBox([OLD])
    version, kid, body = box.seal("whsec_abc", CONTEXT).split(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[position % len(raw)] ^= flip or 1
    altered = f"{version}:{kid}:{base64.urlsafe_b64encode(bytes(raw)).decode()}"
    with pytest.raises(SecretUnreadable):
        box.open(altered, CONTEXT)


def test_during_a_rotation_old_values_open_and_new_ones_are_sealed_with_the_new_key() -> None:
    old_value = AeadSecretBox([OLD]).seal("whsec_old", CONTEXT)
    both = AeadSecretBox([NEW, OLD])
    assert both.open(old_value, CONTEXT) == "whsec_old"
    assert both.seal("whsec_new", CONTEXT).startswith(f"v1:{key_id(NEW)}:")


def test_a_clear_secret_is_not_taken_for_a_sealed_one() -> None:
    box = AeadSecretBox([OLD])
    assert not box.is_sealed("whsec_" + base64.b64encode(bytes(32)).decode())
    with pytest.raises(SecretUnreadable, match="not in a known format"):
        box.open("whsec_abc", CONTEXT)
