"""JSON Schema (2020-12, as OpenAPI 3.1 reads it) from attrs classes and their
``connect.domain.shapes.describe`` metadata: one description of a shape, beside its fields.

NOTE: a ~150-line walker rather than msgspec: msgspec's ``json.schema`` reads attrs
classes but not their field metadata (descriptions, examples, limits), knows nothing of
Connect's renderings (instants to the second with ``Z``, frozensets as sorted unique
arrays) and would be a second serialization library beside cattrs.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Literal, Union, get_args, get_origin

import attrs

from connect.adapters.http.openapi.json_schema import INSTANT, Schema, ref
from connect.adapters.http.structure import Members, member_names
from connect.domain.requests.rules import Unset

_SCALARS: Final[Mapping[type, Schema]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    datetime: INSTANT,
    date: {"type": "string", "format": "date"},
}
_ARRAYS: Final = {frozenset: True, set: True, list: False, tuple: False}
_PLAIN: Final = {"integer": 0, "number": 0, "boolean": False, "null": None}
# NOTE: left out of a schema's types: ``None`` makes it nullable, ``Unset`` is a patch
# field the body did not name (no JSON value at all).
_ABSENT: Final = (type(None), Unset)


class Walker:
    """Describes attrs classes as JSON Schemas.

    Args:
        names: the classes that are components, by their component name: a field of
            one of these classes is a ``$ref``; any other attrs class is inlined.
        members: the ``(attribute, member)`` pairs a class shows when they are not all
            its fields under their own names (as ``structure`` reads a body).
    """

    def __init__(
        self, names: Mapping[type, str], members: Mapping[type, Members] | None = None
    ) -> None:
        self._names = dict(names)
        self._classes = {f"#/components/schemas/{n}": cls for cls, n in names.items()}
        self._members = dict(members or {})

    def components(self) -> dict[str, Schema]:
        """A schema for every named class, under its component name."""
        return {name: self.component(cls) for cls, name in self._names.items()}

    def component(self, *classes: type, members: Members | None = None) -> Schema:
        """``shape``, with an example made of its fields' examples."""
        schema = self.shape(*classes, members=members)
        return {**schema, "examples": [self.example(schema)]}

    def shape(self, *classes: type, members: Members | None = None) -> Schema:
        """The object schema of the fields of ``classes``, together: every field a
        property (named as ``members`` says), the fields without a default required,
        nothing else allowed."""
        schema: Schema = {"type": "object"}
        doc = inspect.getdoc(classes[0])
        if doc and not doc.startswith(f"{classes[0].__name__}("):
            schema["description"] = doc.split("\n\n")[0].replace("\n", " ")
        shown = [
            (names[a.name], a)
            for cls in classes
            for names in [member_names(cls, members or self._members.get(cls))]
            for a in attrs.fields(attrs.resolve_types(cls))
            if a.name in names
        ]
        schema["required"] = [member for member, a in shown if a.default is attrs.NOTHING]
        schema["properties"] = {member: self.field(a) for member, a in shown}
        schema["additionalProperties"] = False
        return schema

    def field(self, attribute: attrs.Attribute[Any]) -> Schema:
        """One field's schema: its (JSON) type's, then its metadata (``describe``)."""
        meta = attribute.metadata
        schema = self.of(meta.get("json_type", attribute.type))
        # NOTE: JSON Schema 2020-12 reads keywords beside a $ref, and each keyword only
        # applies to its own type, so ``null`` passes a maxLength: no wrapping needed.
        schema.update(meta.get("schema", {}))
        if "description" in meta:
            schema["description"] = meta["description"]
        if "example" in meta:
            schema["examples"] = [meta["example"]]
        if type(attribute.default) in (bool, int, str):
            schema["default"] = attribute.default
        return schema

    def of(self, kind: Any) -> Schema:
        """The schema of values of type ``kind``."""
        if kind is Any:  # NOTE: any JSON value (the event catalog holds whole schemas).
            return {}
        origin, args = get_origin(kind), get_args(kind)
        if origin in (Union, types.UnionType):
            options = [a for a in args if a not in _ABSENT]
            inner = (
                self.of(options[0]) if len(options) == 1 else {"anyOf": [*map(self.of, options)]}
            )
            return _nullable(inner) if type(None) in args else inner
        if origin is Literal:
            return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
        if origin in _ARRAYS:
            array: Schema = {"type": "array", "items": self.of(args[0])}
            if _ARRAYS[origin]:
                array["uniqueItems"] = True
            return array
        if origin is dict:
            return {"type": "object", "additionalProperties": self.of(args[1])}
        if isinstance(kind, type) and issubclass(kind, Enum):
            return {"type": "string", "enum": [e.value for e in kind]}
        if kind in self._names:
            return ref(self._names[kind])
        if attrs.has(kind):
            return self.shape(kind)
        for scalar, schema in _SCALARS.items():
            if kind is scalar:
                return dict(schema)
        raise TypeError(f"no JSON Schema for {kind!r}")

    def example(self, schema: Schema) -> Any:
        """A value ``schema`` accepts: its first example, else one made of its parts
        (``null`` when it may be null)."""
        if "examples" in schema:
            return schema["examples"][0]
        if "$ref" in schema:
            return self.example(self.shape(self._classes[schema["$ref"]]))
        if "anyOf" in schema:
            return self.example(schema["anyOf"][-1])
        kind = schema.get("type", "")
        if isinstance(kind, list):
            return None
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        if kind == "object":
            return {name: self.example(p) for name, p in schema.get("properties", {}).items()}
        if kind == "array":
            return [self.example(schema["items"])]
        if kind == "string":
            return "2026-03-18" if schema.get("format") == "date" else "text"
        return schema.get("minimum", _PLAIN.get(kind))


def _nullable(schema: Schema) -> Schema:
    if "$ref" in schema or "const" in schema or not isinstance(schema.get("type"), str):
        return {"anyOf": [schema, {"type": "null"}]}
    # NOTE: a type's own example (an instant's) is not the field's: an example of a
    # nullable field without one of its own is null.
    nullable = {k: v for k, v in schema.items() if k != "examples"}
    nullable["type"] = [schema["type"], "null"]
    if "enum" in schema:
        # NOTE: ``enum`` applies to every type, null included.
        nullable["enum"] = [*schema["enum"], None]
    return nullable
