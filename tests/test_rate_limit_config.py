from __future__ import annotations

import pytest

from connect.config import Config, ConfigError


def test_the_failed_authentication_limit_is_20_a_minute_unless_set() -> None:
    assert Config().auth_failure_limit == (20, 60)
    config = Config.from_env({"CONNECT_AUTH_FAILURE_LIMIT": "5/300"})
    assert config.auth_failure_limit == (5, 300)
    assert Config.from_env({"CONNECT_AUTH_FAILURE_LIMIT": "0"}).auth_failure_limit[0] == 0


@pytest.mark.parametrize("value", ["20", "twenty/60", "20/0", "20/-5"])
def test_a_bad_failed_authentication_limit_is_a_clear_error(value: str) -> None:
    with pytest.raises(ConfigError, match="CONNECT_AUTH_FAILURE_LIMIT"):
        Config.from_env({"CONNECT_AUTH_FAILURE_LIMIT": value})
