"""Request bodies into shapes: one cattrs converter, every field error at once.

Each shape field's attrs converter is its rule; cattrs runs them one by one with
detailed validation, so every bad field is collected into one ``ValidationFailed``
(with unknown members, refused with a did-you-mean) before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final, TypeVar

import cattrs
from attrs import NOTHING, Attribute, AttrsInstance, fields
from cattrs.errors import ClassValidationError
from cattrs.gen import make_dict_structure_fn, override

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.fields import unknown_fields

S = TypeVar("S", bound=AttrsInstance)
Members = tuple[tuple[str, str], ...]

# NOTE: the public speakers' form is a drop-in for the Rust NYC site's frontend, which
# names its members in camelCase and has no Discord fields.
FORM_MEMBERS: Final[Members] = (
    ("speaker_name", "speakerName"),
    ("talk_context", "talkContext"),
    ("is_on_behalf", "isOnBehalf"),
    ("submitter_name", "submitterName"),
)


def make_converter() -> cattrs.Converter:
    """The converter for request shapes (``detailed_validation`` collects every field's
    error; unknown members are refused by ``structure`` itself, with a did-you-mean)."""
    return cattrs.Converter(detailed_validation=True)


_CONVERTER: Final = make_converter()


@cache
def _hook(shape: type, members: Members | None) -> Callable[[Any, Any], Any]:
    names = member_names(shape, members)
    overrides: dict[str, Any] = {
        a.name: override(rename=names[a.name], struct_hook=_rule(a))
        if a.name in names
        else override(omit=True)
        for a in fields(shape)
    }
    return make_dict_structure_fn(shape, _CONVERTER, **overrides)


def _rule(field: Attribute[Any]) -> Callable[[Any, Any], Any]:
    # NOTE: the field's converter is its rule; cattrs runs it under the field's name so
    # detailed validation says which field failed.
    check = field.converter.converter  # type: ignore[union-attr]
    return lambda value, _type: check(value, field)


def member_names(shape: type, members: Members | None = None) -> dict[str, str]:
    """attribute -> JSON member, for the members a body of ``shape`` may have."""
    return dict(members) if members is not None else {a.name: a.name for a in fields(shape)}


def structure(body: Mapping[str, Any], shape: type[S], members: Members | None = None) -> S:
    """``body`` as a ``shape``.

    Args:
        body: the JSON object.
        shape: the attrs class to make of it.
        members: ``(attribute, member)`` pairs when the body names its members
            otherwise (or has fewer); by default each attribute by its own name.

    Raises:
        ValidationFailed: one ``FieldError`` per unknown member (with a did-you-mean),
            missing required member and broken field rule, all at once; then any rule
            between fields. Errors name the members as the body does.
    """
    names = member_names(shape, members)
    errors = unknown_fields(body, names.values())
    try:
        value: S = _hook(shape, members)(body, shape)
    except ClassValidationError as e:
        errors.extend(_field_errors(e, names))
        errors.extend(_related(shape, body, names, {x.field for x in errors}))
    if errors:
        raise ValidationFailed(errors)
    return value


def _related(
    shape: type, body: Mapping[str, Any], names: Mapping[str, str], failed: set[str]
) -> list[FieldError]:
    """The shape's rules between fields, on the fields that passed their own, so a
    speaker hears of every problem in one answer."""
    related = getattr(shape, "related", None)
    if related is None:
        return []
    passed: dict[str, Any] = {}
    for a in fields(shape):
        member = names.get(a.name, "")
        if member in body and member not in failed:
            passed[a.name] = _rule(a)(body[member], a.type)
        elif member not in body and a.default is not NOTHING:
            passed[a.name] = a.default
    found: list[FieldError] = related(passed)
    return [FieldError(names.get(x.field, x.field), x.message) for x in found]


def _field_errors(group: ClassValidationError, names: Mapping[str, str]) -> list[FieldError]:
    noted, others = group.group_exceptions()
    errors: list[FieldError] = []
    for exc, note in noted:
        member = names.get(note.name, note.name)
        if isinstance(exc, KeyError):
            errors.append(FieldError(member, "is required"))
        elif isinstance(exc, ValidationFailed):
            errors.extend(FieldError(member, x.message) for x in exc.errors)
        else:
            errors.append(FieldError(member, str(exc)))
    for exc in others:
        # NOTE: a rule between fields (a submitter when on behalf), raised by the
        # shape itself once every field passed its own rule.
        if not isinstance(exc, ValidationFailed):
            raise exc
        errors.extend(FieldError(names.get(x.field, x.field), x.message) for x in exc.errors)
    return errors
