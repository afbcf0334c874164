"""A sealing pass writes clear secrets sealed, leaves sealed ones alone, and re-seals
them under the current key only when asked; both engines bind values alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.stored_secrets import resealed, secret_context

BOX = AeadSecretBox.ephemeral()
secrets = st.text(min_size=1, max_size=60)
places = st.tuples(st.sampled_from(["secret", "previous_secret"]), st.integers(1, 2**62))


@given(secrets, places, st.booleans())
def test_a_secret_in_clear_is_written_sealed_and_opens_where_it_lives(
    secret: str, place: tuple[str, int], reseal: bool
) -> None:
    context = secret_context(*place)
    sealed = resealed(BOX, secret, context, reseal=reseal)
    assert sealed is not None and BOX.is_sealed(sealed)
    assert BOX.open(sealed, context) == secret


@given(secrets, places)
def test_a_sealed_secret_is_left_alone_unless_a_reseal_is_asked(
    secret: str, place: tuple[str, int]
) -> None:
    context = secret_context(*place)
    sealed = BOX.seal(secret, context)
    assert resealed(BOX, sealed, context, reseal=False) is None
    again = resealed(BOX, sealed, context, reseal=True)
    assert again is not None and BOX.open(again, context) == secret


def test_the_context_names_the_table_column_and_row() -> None:
    assert secret_context("previous_secret", 7) == "webhooks_1.previous_secret:7"
