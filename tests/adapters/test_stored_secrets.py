"""A sealing pass writes clear secrets sealed, leaves sealed ones alone, and re-seals
them under the current key only when asked; both engines bind values alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.stored_secrets import resealed, sealing_pass, secret_context

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


stored = st.one_of(st.none(), st.just(""), secrets, secrets.map(lambda s: f"sealed:{s}"))


@given(st.dictionaries(st.integers(1, 2**31), st.tuples(stored, stored), max_size=8))
def test_a_sealing_pass_writes_every_clear_value_once_and_no_empty_or_sealed_one(
    table: dict[int, tuple[str | None, str | None]],
) -> None:
    def as_stored(value: str | None, column: str, id: int) -> str | None:
        if value is not None and value.startswith("sealed:"):
            return BOX.seal(value.removeprefix("sealed:"), secret_context(column, id))
        return value

    rows = [
        (id, as_stored(secret, "secret", id), as_stored(previous, "previous_secret", id))
        for id, (secret, previous) in table.items()
    ]
    writes = sealing_pass(rows, BOX, reseal=False)
    clear = [
        (column, id, value)
        for id, *values in rows
        for column, value in zip(("secret", "previous_secret"), values, strict=True)
        if value and not BOX.is_sealed(value)
    ]
    assert [(column, id) for column, _, id in writes] == [(c, i) for c, i, _ in clear]
    for (column, sealed, id), (_, _, value) in zip(writes, clear, strict=True):
        assert BOX.open(sealed, secret_context(column, id)) == value
