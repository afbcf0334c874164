"""Field rules shared by request shapes: text, flags, and "not given" in a patch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Final, TypeVar

from connect.domain.errors import ValidationFailed

T = TypeVar("T")


class Unset(Enum):
    """A patch field the body did not name: left as it is (``null`` is a value)."""

    UNSET = "unset"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET


def unless_unset(rule: Callable[[object], T], value: object) -> T | Unset:
    """``rule`` for a patch field: a field the body did not name stays ``UNSET``.

    NOTE: shapes call rules from lambdas (``converter=lambda v: rule(v)``): mypy's attrs
    plugin understands a named function or a lambda as a converter, not a closure."""
    return UNSET if value is UNSET else rule(value)


def text(field: str, value: object, maximum: int) -> str | None:
    """Trimmed text of at most ``maximum`` characters, or ``None`` (null or blank)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed.single(field, "must be a string")
    trimmed = value.strip()
    if not trimmed:
        return None
    if len(trimmed) > maximum:
        raise ValidationFailed.single(field, f"must be at most {maximum} characters after trimming")
    if "\x00" in trimmed:
        # NOTE: no reader shows it, and PostgreSQL text cannot hold it: refused on every
        # engine alike, so moving a database never meets one.
        raise ValidationFailed.single(field, "must not contain the NUL character")
    return trimmed


def required_text(field: str, value: object, maximum: int) -> str:
    """``text`` that may be neither null nor blank."""
    if value is None:
        raise ValidationFailed.single(field, "is required")
    trimmed = text(field, value, maximum)
    if trimmed is None:
        raise ValidationFailed.single(field, "must not be blank")
    return trimmed


def https_link(field: str, value: object, maximum: int) -> str | None:
    """Optional ``text`` that must be an ``https://`` URL."""
    link = text(field, value, maximum)
    if link is not None and not link.startswith("https://"):
        raise ValidationFailed.single(field, "must be an https:// URL")
    return link


def flag(field: str, value: object, *, null: bool | None = None) -> bool:
    """``true`` or ``false``; ``null`` reads as ``null`` when that is given, else is
    refused."""
    if value is None and null is not None:
        return null
    if not isinstance(value, bool):
        raise ValidationFailed.single(field, "must be true or false")
    return value


def iso_date(field: str, value: object) -> date | None:
    """An ISO date (``2026-03-18``) or ``null``."""
    if value is None or isinstance(value, date):
        return value
    try:
        if isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationFailed.single(field, "must be an ISO date like 2026-03-18")
