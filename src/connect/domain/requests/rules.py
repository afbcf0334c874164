"""Field rules of request shapes, read from the field itself.

A rule is an attrs ``Converter`` that takes the field: its name is the one an error
names, and its ``describe(...)`` schema holds its limits (``maxLength``, ``minLength``,
``pattern``), so a limit is stated once and documented where it is enforced. Every rule
passes ``UNSET`` through: a patch field the body did not name stays as it is.
``parse_text`` and ``parse_names`` are the same rules for a field known by name only
(a CLI flag).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, Final, TypeVar

from attrs import Attribute, Converter

from connect.domain.errors import ValidationFailed
from connect.domain.time import RANGE_MESSAGE, OutOfRange, parse_instant


class Unset(Enum):
    """A patch field the body did not name: left as it is (``null`` is a value)."""

    UNSET = "unset"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET
E = TypeVar("E", bound=StrEnum)


def rule(check: Callable[[Any, Attribute[Any]], Any]) -> Converter[Any, Any]:
    """``check(value, field)`` as a converter, ``UNSET`` passed through untouched."""

    def convert(value: object, field: Attribute[Any]) -> Any:
        return value if value is UNSET else check(value, field)

    return Converter(convert, takes_field=True)


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed.single(field, message)


def parse_text(value: object, field: str, schema: Mapping[str, Any]) -> str | None:
    """Trimmed text within the ``schema``'s ``maxLength``; ``null`` or blank is ``None``
    unless it has a ``minLength``; a ``pattern`` of ``^https://`` is checked.

    Raises:
        ValidationFailed: on ``field``, the first rule the text breaks.
    """
    required = schema.get("minLength", 0) > 0
    if value is None:
        if required:
            raise _fail(field, "is required")
        return None
    if not isinstance(value, str):
        raise _fail(field, "must be a string")
    trimmed = value.strip()
    if not trimmed:
        if required:
            raise _fail(field, "must not be blank")
        return None
    if len(trimmed) > schema["maxLength"]:
        raise _fail(field, f"must be at most {schema['maxLength']} characters after trimming")
    if "\x00" in trimmed:
        # NOTE: no reader shows it, and PostgreSQL text cannot hold it: refused on every
        # engine alike, so moving a database never meets one.
        raise _fail(field, "must not contain the NUL character")
    if schema.get("pattern") == "^https://" and not trimmed.startswith("https://"):
        raise _fail(field, "must be an https:// URL")
    return trimmed


def _flag(value: object, field: Attribute[Any]) -> bool:
    """``true`` or ``false``; ``null`` reads as the default when that is ``False``."""
    if value is None and field.default is False:
        return False
    if not isinstance(value, bool):
        raise _fail(field.name, "must be true or false")
    return value


def _iso(kind: type, parse: Callable[[str], Any], what: str) -> Converter[Any, Any]:
    """An ISO 8601 ``kind`` (a ``date``, a ``datetime`` in range) or ``null``."""

    def check(value: object, field: Attribute[Any]) -> Any:
        if value is None or isinstance(value, kind):
            return value
        try:
            if isinstance(value, str):
                return parse(value)
        except OutOfRange:
            raise _fail(field.name, RANGE_MESSAGE) from None
        except ValueError:
            pass
        raise _fail(field.name, f"must be an ISO {what}")

    return rule(check)


def parse_names(values: object, field: str, allowed: Iterable[E], what: str) -> frozenset[E]:
    """A non-empty list of ``allowed`` names (``what``: ``scope``, ``event``).

    Raises:
        ValidationFailed: on ``field``: not a non-empty list, or unknown names (each
            named, and the allowed ones listed in the order given).
    """
    if not isinstance(values, list | tuple | set | frozenset) or not values:
        raise _fail(field, f"must be a non-empty list of {what} names")
    by_name = {member.value: member for member in allowed}
    unknown = [repr(v) for v in values if not isinstance(v, str) or v not in by_name]
    if unknown:
        listed = f"{', '.join(unknown)}; allowed: {', '.join(by_name)}"
        raise _fail(field, f"unknown {what} {listed}")
    return frozenset(by_name[v] for v in values)


TEXT: Final = rule(lambda value, f: parse_text(value, f.name, f.metadata["schema"]))
FLAG: Final = rule(_flag)
ISO_DATE: Final = _iso(date, date.fromisoformat, "date like 2026-03-18")
ISO_INSTANT: Final = _iso(datetime, parse_instant, "8601 datetime like 2026-12-31T00:00:00Z")
