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


def test_the_per_key_failure_limit_and_argon2_concurrency_have_defaults_and_read_env() -> None:
    assert Config().auth_failure_limit_per_key == (20, 60)
    assert Config().argon2_concurrency == 2
    config = Config.from_env(
        {"CONNECT_AUTH_FAILURE_LIMIT_PER_KEY": "7/120", "CONNECT_ARGON2_CONCURRENCY": "4"}
    )
    assert config.auth_failure_limit_per_key == (7, 120)
    assert config.argon2_concurrency == 4


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CONNECT_AUTH_FAILURE_LIMIT_PER_KEY", "20"),
        ("CONNECT_ARGON2_CONCURRENCY", "0"),
        ("CONNECT_TRUSTED_PROXY", "proxy.internal"),
        ("CONNECT_TRUSTED_PROXY", "*"),
        ("CONNECT_TRUSTED_PROXY_HEADERS", "x-real-ip"),
        ("CONNECT_TRUSTED_PROXY_HEADERS", ","),
        ("CONNECT_TRUSTED_PROXY_COUNT", "0"),
        ("CONNECT_TRUSTED_PROXY_HEADER", "X-Real-IP"),
    ],
)
def test_a_bad_proxy_or_guessing_setting_is_a_clear_error_naming_it(
    variable: str, value: str
) -> None:
    with pytest.raises(ConfigError, match=variable):
        Config.from_env({variable: value})


def test_the_trusted_proxy_is_an_address_with_forwarded_for_by_default() -> None:
    assert Config().trusted_proxy is None
    config = Config.from_env({"CONNECT_TRUSTED_PROXY": "0:0::1"})
    assert config.trusted_proxy == "::1"  # the spelling waitress compares against
    assert config.trusted_proxy_headers == ("x-forwarded-for",)
    both = Config.from_env({"CONNECT_TRUSTED_PROXY_HEADERS": "X-Forwarded-For, X-Forwarded-Proto"})
    assert both.trusted_proxy_headers == ("x-forwarded-for", "x-forwarded-proto")


def test_the_retired_proxy_header_setting_points_to_its_replacement() -> None:
    with pytest.raises(ConfigError, match="CONNECT_TRUSTED_PROXY "):
        Config.from_env({"CONNECT_TRUSTED_PROXY_HEADER": "X-Forwarded-For"})


def test_retention_is_30_days_unless_set_and_at_least_one_day() -> None:
    assert Config().retention_days == 30
    assert Config.from_env({"CONNECT_RETENTION_DAYS": "7"}).retention_days == 7
    for bad in ("0", "a week"):
        with pytest.raises(ConfigError, match="CONNECT_RETENTION_DAYS"):
            Config.from_env({"CONNECT_RETENTION_DAYS": bad})
