"""Projecting a domain value onto a response shape: the shape lists the fields it shows."""

from __future__ import annotations

from typing import Any, TypeVar

from attrs import fields

S = TypeVar("S")


def project(shape: type[S], value: object, **given: Any) -> S:
    """A ``shape`` whose fields are ``value``'s attributes of the same names, except the
    ones ``given``."""
    return shape(
        **{
            a.name: given[a.name] if a.name in given else getattr(value, a.name)
            for a in fields(shape)  # type: ignore[arg-type]
        }
    )
