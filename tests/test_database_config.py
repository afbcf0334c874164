"""CONNECT_DB chooses the engine; a PostgreSQL URL's password is never printed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.bootstrap import storage
from connect.config import Config, ConfigError, database_label, is_postgres

secrets = st.text(st.characters(codec="ascii", exclude_characters="@/?#"), min_size=4)


@given(password=secrets, user=st.from_regex(r"[a-z]{1,8}", fullmatch=True))
def test_a_urls_password_never_appears_in_its_label(password: str, user: str) -> None:
    quoted = password.replace("%", "%25").replace(":", "%3A")
    url = f"postgresql://{user}:{quoted}@db.example:5432/connect?password={quoted}"
    label = database_label(url)
    assert quoted not in label.partition("@")[0] + label.partition("?")[2]
    assert label == f"postgresql://{user}@db.example:5432/connect"


@given(st.text().filter(lambda t: not t.startswith(("postgres://", "postgresql://"))))
def test_a_file_name_is_its_own_label(name: str) -> None:
    assert not is_postgres(name)
    assert database_label(name) == name


def test_postgresql_without_a_secret_key_is_refused_with_the_remedy() -> None:
    with pytest.raises(ConfigError, match="CONNECT_SECRET_KEY") as raised:
        storage(Config(db="postgresql://u:pw-secret@127.0.0.1/connect"))
    assert "pw-secret" not in str(raised.value)
