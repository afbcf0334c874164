from __future__ import annotations

from datetime import time, timedelta

import pytest

from connect.bootstrap import calendar_settings
from connect.config import Config, ConfigError


def test_the_calendar_defaults_to_1830_new_york_for_30_minutes() -> None:
    settings = calendar_settings(Config())
    assert (settings.timezone, settings.start, settings.duration) == (
        "America/New_York",
        time(18, 30),
        timedelta(minutes=30),
    )


def test_calendar_settings_come_from_connect_calendar_variables() -> None:
    config = Config.from_env(
        {
            "CONNECT_CALENDAR_NAME": "Rust Berlin",
            "CONNECT_CALENDAR_TIMEZONE": "Europe/Berlin",
            "CONNECT_CALENDAR_START": "19:00",
            "CONNECT_CALENDAR_DURATION_MINUTES": "45",
            "CONNECT_CALENDAR_REFRESH_MINUTES": "15",
            "CONNECT_CALENDAR_UID_HOST": "talks.example.org",
        }
    )
    settings = calendar_settings(config)
    assert settings.name == "Rust Berlin"
    assert settings.timezone == "Europe/Berlin"
    assert settings.start == time(19, 0)
    assert settings.duration == timedelta(minutes=45)
    assert settings.refresh == timedelta(minutes=15)
    assert settings.uid_host == "talks.example.org"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CONNECT_CALENDAR_TIMEZONE", "Eastern"),
        ("CONNECT_CALENDAR_START", "6:30pm"),
        ("CONNECT_CALENDAR_START", "18:30+01:00"),
        ("CONNECT_CALENDAR_DURATION_MINUTES", "0"),
        ("CONNECT_CALENDAR_REFRESH_MINUTES", "soon"),
        ("CONNECT_CALENDAR_UID_HOST", "https://example.org/"),
    ],
)
def test_a_bad_calendar_setting_is_a_clear_configuration_error(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Config.from_env({variable: value})
