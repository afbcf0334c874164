"""Configuration: defaults, environment variables (``CONNECT_*``) and flags.

Lives beside ``bootstrap`` (not in a layer): it reads only the mapping it is given.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable, Mapping
from datetime import time, timedelta
from typing import Any, Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import evolve, field, fields, frozen

# NOTE: the proxy headers waitress can read, from waitress itself (lower case).
from waitress.adjustments import KNOWN_PROXY_HEADERS as PROXY_HEADERS

from connect.domain.exports.ics import HOST_NAME, CalendarSettings
from connect.domain.pacing import DELIVERIES_PER_SECOND
from connect.domain.rate_limit import (
    AUTH_FAILURE_LIMIT,
    EXPORTS_PER_HOUR,
    FORM_LIMIT,
    PER_KEY_PER_MINUTE,
)
from connect.domain.retention import DEFAULT_DAYS
from connect.domain.retry import DEFAULT_SCHEDULE


class ConfigError(ValueError):
    """A setting has a value Connect cannot use."""


def _int(name: str, text: str, minimum: int = 0) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {text!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _seconds_list(name: str, text: str) -> tuple[int, ...]:
    parts = _csv(text)
    if not parts:
        raise ConfigError(f"{name} must list at least one delay in seconds")
    return tuple(_int(name, p) for p in parts)


def _csv(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _count_per_seconds(name: str, text: str) -> tuple[int, int]:
    count, slash, seconds = text.partition("/")
    if text.strip() == "0":
        return (0, 60)
    if not slash:
        raise ConfigError(f"{name} must be COUNT/SECONDS like 10/900, got {text!r}")
    return (_int(name, count), _int(name, seconds, minimum=1))


def _switch(name: str, text: str) -> bool:
    if text.lower() not in ("on", "off"):
        raise ConfigError(f"{name} must be on or off, got {text!r}")
    return text.lower() == "on"


def _proxy_address(name: str, text: str) -> str:
    try:
        # NOTE: waitress compares the peer's address as a string: normalize the spelling.
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ConfigError(
            f"{name} must be the IP address your reverse proxy connects from, like "
            f"127.0.0.1, got {text!r}"
        ) from None


def _proxy_headers(name: str, text: str) -> tuple[str, ...]:
    headers = tuple(h.lower() for h in _csv(text))
    unknown = sorted(set(headers) - PROXY_HEADERS)
    if not headers or unknown:
        raise ConfigError(
            f"{name} must list headers among {', '.join(sorted(PROXY_HEADERS))}, got {text!r}"
        )
    return headers


def _log_format(name: str, text: str) -> str:
    if text not in ("text", "json"):
        raise ConfigError(f"{name} must be text or json, got {text!r}")
    return text


def _time_of_day(name: str, text: str) -> time:
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{name} must be a local time like 18:30, got {text!r}") from None
    if parsed.tzinfo is not None:
        raise ConfigError(f"{name} is a local time (no offset; see CONNECT_CALENDAR_TIMEZONE)")
    return parsed


def _time_zone(name: str, text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} must be an IANA time zone like America/New_York") from None
    return text


def _host_name(name: str, text: str) -> str:
    if not HOST_NAME.fullmatch(text):
        raise ConfigError(f"{name} must be a host name like talks.example.org, got {text!r}")
    return text


#: The command that makes a ``CONNECT_SECRET_KEY`` (quoted by the errors that ask for one).
MAKE_KEY: Final = (
    "python3 -c 'import base64,secrets;"
    "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'"
)


def _secret_key(name: str, text: str) -> bytes:
    # NOTE: the value is never echoed back: an error message may land in a log.
    padded = text + "=" * (-len(text) % 4)
    try:
        key = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{name} must be base64 (standard or urlsafe)") from None
    if len(key) != 32:
        raise ConfigError(
            f"{name} must be 32 bytes in base64 (got {len(key)} bytes); make one with {MAKE_KEY}"
        )
    return key


def _smtp_url(name: str, text: str) -> str:
    # NOTE: the value holds a password: errors name the setting, never echo it.
    parts = urlsplit(text)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(f"{name} must be smtp://[user:password@]host[:port] or smtps://...")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ConfigError(f"{name} has a port that is not a number from 1 to 65535") from None
    return text


def _mail_addresses(name: str, text: str) -> tuple[str, ...]:
    addresses = _csv(text)
    bad = [a for a in addresses if not re.fullmatch(r"[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+", a)]
    if not addresses or bad:
        raise ConfigError(f"{name} must list e-mail addresses separated by commas")
    return addresses


def is_postgres(db: str) -> bool:
    """Whether ``CONNECT_DB`` names a PostgreSQL database (a ``postgresql://`` URL)."""
    return db.startswith(("postgresql://", "postgres://"))


def database_label(db: str) -> str:
    """``db`` as it may be printed and logged: a URL loses its password."""
    if not is_postgres(db):
        return db
    # NOTE: split by hand, not with urlsplit, which raises on some passwords ("[").
    # Keep what follows the last "@" (host and port) and the user name before any ":";
    # drop the query (it may hold ``password=``) and the fragment.
    scheme, _, rest = db.partition("://")
    netloc, slash, path = rest.partition("/")
    credentials, at, host = netloc.rpartition("@")
    user = credentials.partition(":")[0]
    path = path.partition("?")[0].partition("#")[0]
    return f"{scheme}://{user}{at if user else ''}{host}{slash}{path}"


def _text(name: str, text: str) -> str:
    return text


def _positive(name: str, text: str) -> int:
    return _int(name, text, minimum=1)


def _setting(variable: str, read: Callable[[str, str], Any], default: Any, **kw: Any) -> Any:
    """An attribute of ``Config`` read from the environment ``variable`` by ``read``."""
    return field(default=default, metadata={"variable": variable, "read": read}, **kw)


# NOTE: the calendar's defaults are the domain's; Config spells them as settings.
_CALENDAR: Final = CalendarSettings()
_MINUTE: Final = timedelta(minutes=1)


@frozen
class Config:
    """Every setting, with its default (README, Configuration; docs/design.md section 7)."""

    db: str = _setting("CONNECT_DB", _text, "connect.db")
    host: str = _setting("CONNECT_HOST", _text, "127.0.0.1")
    port: int = _setting("CONNECT_PORT", _int, 8080)
    threads: int = _setting("CONNECT_THREADS", _positive, 8)
    retry_schedule: tuple[int, ...] = _setting(
        "CONNECT_RETRY_SCHEDULE", _seconds_list, DEFAULT_SCHEDULE
    )
    webhook_allow_networks: tuple[str, ...] = _setting(
        "CONNECT_WEBHOOK_ALLOW_NETWORKS", lambda n, t: _csv(t), ()
    )
    webhook_ca_bundle: str | None = _setting(
        "CONNECT_WEBHOOK_CA_BUNDLE", lambda n, t: t or None, None
    )
    rate_limit_per_minute: int = _setting("CONNECT_RATE_LIMIT_PER_MINUTE", _int, PER_KEY_PER_MINUTE)
    export_limit_per_hour: int = _setting("CONNECT_EXPORT_LIMIT_PER_HOUR", _int, EXPORTS_PER_HOUR)
    form_limit: tuple[int, int] = _setting("CONNECT_FORM_LIMIT", _count_per_seconds, FORM_LIMIT)
    auth_failure_limit: tuple[int, int] = _setting(
        "CONNECT_AUTH_FAILURE_LIMIT", _count_per_seconds, AUTH_FAILURE_LIMIT
    )
    delivery_rate_per_second: int = _setting(
        "CONNECT_DELIVERY_RATE_PER_SECOND", _int, DELIVERIES_PER_SECOND
    )
    log_format: str = _setting("CONNECT_LOG_FORMAT", _log_format, "text")
    worker_concurrency: int = _setting("CONNECT_CONCURRENCY", _positive, 64)
    worker_lease_seconds: int = _setting("CONNECT_WORKER_LEASE_SECONDS", _positive, 60)
    # PostgreSQL (docs/operations.md): connections each process keeps at most.
    db_pool_size: int = _setting("CONNECT_DB_POOL_SIZE", _positive, 16)
    # The iCalendar feed (docs/exports.md): meetup time, zone and the stable UID host.
    calendar_name: str = _setting("CONNECT_CALENDAR_NAME", _text, _CALENDAR.name)
    calendar_timezone: str = _setting("CONNECT_CALENDAR_TIMEZONE", _time_zone, _CALENDAR.timezone)
    calendar_start: time = _setting(  # noqa: RUF009 - a time is immutable
        "CONNECT_CALENDAR_START", _time_of_day, _CALENDAR.start
    )
    calendar_duration_minutes: int = _setting(
        "CONNECT_CALENDAR_DURATION_MINUTES", _positive, _CALENDAR.duration // _MINUTE
    )
    calendar_refresh_minutes: int = _setting(
        "CONNECT_CALENDAR_REFRESH_MINUTES", _positive, _CALENDAR.refresh // _MINUTE
    )
    calendar_uid_host: str = _setting("CONNECT_CALENDAR_UID_HOST", _host_name, _CALENDAR.uid_host)
    # Reverse proxy (docs/rate-limits.md): waitress takes the client address from the
    # proxy's headers only on connections from this address.
    trusted_proxy: str | None = _setting("CONNECT_TRUSTED_PROXY", _proxy_address, None)
    trusted_proxy_headers: tuple[str, ...] = _setting(
        "CONNECT_TRUSTED_PROXY_HEADERS", _proxy_headers, ("x-forwarded-for",)
    )
    trusted_proxy_count: int = _setting("CONNECT_TRUSTED_PROXY_COUNT", _positive, 1)
    auth_failure_limit_per_key: tuple[int, int] = _setting(
        "CONNECT_AUTH_FAILURE_LIMIT_PER_KEY", _count_per_seconds, AUTH_FAILURE_LIMIT
    )
    argon2_concurrency: int = _setting("CONNECT_ARGON2_CONCURRENCY", _positive, 2)
    audit: bool = _setting("CONNECT_AUDIT", _switch, True)
    # How long delivered payloads, response snippets, feed events and audit entries are
    # kept, in days (docs/data.md).
    retention_days: int = _setting("CONNECT_RETENTION_DAYS", _positive, DEFAULT_DAYS)
    # Encryption of stored webhook secrets (docs/webhooks.md); unset: the key file.
    secret_key: bytes | None = _setting("CONNECT_SECRET_KEY", _secret_key, None, repr=False)
    secret_key_new: bytes | None = _setting("CONNECT_SECRET_KEY_NEW", _secret_key, None, repr=False)
    # E-mail alerts on webhook.disabled and delivery.exhausted (docs/webhooks.md).
    smtp_url: str | None = _setting("CONNECT_SMTP_URL", _smtp_url, None, repr=False)
    alert_email: tuple[str, ...] = _setting("CONNECT_ALERT_EMAIL", _mail_addresses, ())

    def with_(self, **changes: Any) -> Config:
        """A copy with the given settings (``None`` values are ignored)."""
        return evolve(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        """Read ``CONNECT_*`` variables; anything unset keeps its default.

        Raises:
            ConfigError: a variable has a value Connect cannot use.
        """
        if environ.get("CONNECT_TRUSTED_PROXY_HEADER"):
            # NOTE: the old setting trusted a header from any peer (spoofable by a client
            # that reaches Connect directly) and could not name X-Forwarded-For, which
            # waitress strips; refusing it is safer than guessing what was meant.
            raise ConfigError(
                "CONNECT_TRUSTED_PROXY_HEADER is replaced by CONNECT_TRUSTED_PROXY (the proxy's"
                " IP address) and CONNECT_TRUSTED_PROXY_HEADERS (default x-forwarded-for);"
                " see docs/rate-limits.md"
            )
        changes: dict[str, Any] = {}
        for setting in fields(cls):
            variable = setting.metadata["variable"]
            text = environ.get(variable)
            if text:
                changes[setting.name] = setting.metadata["read"](variable, text.strip())
        return cls(**changes)
