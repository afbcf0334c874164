"""API keys: tokens, key ids, scopes, expiry and mode."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from attrs import asdict, field, frozen

from connect.domain.errors import ValidationFailed
from connect.domain.mode import Mode
from connect.domain.requests.rules import parse_names, parse_text
from connect.domain.shapes import describe, project

ALPHABET: Final = string.digits + string.ascii_letters
SECRET_LENGTH: Final = 24
KEY_ID_LENGTH: Final = 8
PREFIXES: Final = {Mode.LIVE: "rnc_live_", Mode.TEST: "rnc_test_"}
_TOKEN = re.compile(r"rnc_(live|test)_([0-9A-Za-z]{24})")
NAME_MAX: Final = 120
DEFAULT_GRACE_SECONDS: Final = 86_400
MAX_GRACE_SECONDS: Final = 30 * 86_400
#: Picks one character of a string (``secrets.choice`` in production): what tokens and
#: event ids are drawn with.
Choose = Callable[[str], str]


class Scope(StrEnum):
    SUBMISSIONS_READ = "submissions:read"
    SUBMISSIONS_WRITE = "submissions:write"
    WEBHOOKS_MANAGE = "webhooks:manage"
    EXPORTS_CREATE = "exports:create"
    KEYS_MANAGE = "keys:manage"


ALL_SCOPES: Final = frozenset(Scope)

# What a key's fields mean and their limits, once: for the body that asks for a key
# and the key document alike.
KEY_NAME: Final = describe(
    "What the key is for, for people.", example="Discord bot", minLength=1, maxLength=NAME_MAX
)
KEY_SCOPES: Final = describe(
    "What the key may do; at least one.", example=[Scope.SUBMISSIONS_READ.value], minItems=1
)
KEY_EXPIRES_AT: Final = describe(
    "When the key stops working (ISO 8601); null or left out: never.",
    example="2026-12-31T00:00:00Z",
)


@frozen
class Token:
    """A parsed secret token. Its ``str`` is the token itself: never log it."""

    mode: Mode
    secret: str

    @property
    def key_id(self) -> str:
        """The public part: the mode prefix plus the first 8 random characters."""
        return PREFIXES[self.mode] + self.secret[:KEY_ID_LENGTH]

    def __str__(self) -> str:
        return PREFIXES[self.mode] + self.secret

    def __repr__(self) -> str:
        return f"Token(key_id={self.key_id!r}, secret=<hidden>)"


def generate_token(mode: Mode, choose: Choose) -> Token:
    """A new token of ``mode``, its characters drawn with ``choose``."""
    return Token(mode, "".join(choose(ALPHABET) for _ in range(SECRET_LENGTH)))


def parse_token(text: str) -> Token | None:
    """The token in ``text``, or ``None`` when it is not exactly a Connect token."""
    match = _TOKEN.fullmatch(text)
    if match is None:
        return None
    return Token(Mode(match.group(1)), match.group(2))


def parse_scopes(values: object, field: str = "scopes") -> frozenset[Scope]:
    """A non-empty list of scope names (``parse_names``)."""
    return parse_names(values, field, Scope, "scope")


def parse_mode(value: object, field: str = "mode") -> Mode:
    try:
        return Mode(value if isinstance(value, str) else "")
    except ValueError:
        raise ValidationFailed.single(field, "must be live or test") from None


def parse_name(value: object, field: str = "name") -> str:
    """A key's name, by the rule of every text field within ``KEY_NAME``'s limits."""
    name = parse_text(value, field, KEY_NAME["schema"])
    assert name is not None, "KEY_NAME has a minLength, so a name is never None"
    return name


def parse_grace_seconds(value: object, field: str = "grace_seconds") -> int:
    if value is None:
        return DEFAULT_GRACE_SECONDS
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_GRACE_SECONDS:
        raise ValidationFailed.single(
            field, f"must be an integer from 0 to {MAX_GRACE_SECONDS} seconds"
        )
    return value


_DURATION = re.compile(r"([0-9]{1,12})([smhdw])")
_UNITS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
# NOTE: a key's lifetime is added to the current time; a hundred years keeps the sum
# a real datetime (timedelta and datetime overflow long before 12 digits of weeks).
MAX_DURATION: Final = timedelta(days=36_500)


def parse_duration(text: str) -> timedelta:
    """``30d``, ``12h``, ``90m``, ``2w`` or ``45s``, up to ``MAX_DURATION``.

    Raises:
        ValidationFailed: anything else, zero, or longer than a hundred years.
    """
    match = _DURATION.fullmatch(text.strip())
    seconds = int(match.group(1)) * _UNITS[match.group(2)] if match else 0
    if not 0 < seconds <= MAX_DURATION.total_seconds():
        most = f"at most {MAX_DURATION.days}d"
        raise ValidationFailed.single(
            "expires_in", f"must be a positive duration like 30d, 12h, 90m, 2w or 45s, {most}"
        )
    return timedelta(seconds=seconds)


@frozen
class NewApiKey:
    """A key as it is issued, before storage numbers it."""

    key_id: str
    key_hash: str
    name: str
    scopes: frozenset[Scope]
    mode: Mode
    created_by: str
    created_at: datetime
    expires_at: datetime | None = None


@frozen
class ApiKey(NewApiKey):
    """A stored key. ``key_hash`` never leaves the service layer."""

    id: int = field(kw_only=True)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def from_new(cls, new: NewApiKey, id: int) -> ApiKey:
        return cls(id=id, **asdict(new, recurse=False))

    def is_usable(self, now: datetime) -> bool:
        """Not revoked (a rotation's grace period counts) and not expired."""
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or now < self.expires_at

    def needs_touch(self, now: datetime) -> bool:
        """``last_used_at`` is written at most once a minute."""
        return self.last_used_at is None or now - self.last_used_at >= timedelta(minutes=1)


@frozen
class Principal:
    """Who is calling: an authenticated key, as the services see it."""

    key: int
    key_id: str
    scopes: frozenset[Scope]
    mode: Mode
    expires_at: datetime | None = None

    @classmethod
    def of(cls, key: ApiKey) -> Principal:
        return project(cls, key, key=key.id)

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes
