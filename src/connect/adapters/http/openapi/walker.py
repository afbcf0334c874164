"""JSON Schema (2020-12, as OpenAPI 3.1 reads it) from attrs classes and their
``connect.domain.shapes.describe`` metadata: one description of a shape, beside its fields.

NOTE: a ~100-line walker rather than msgspec: msgspec's ``json.schema`` reads attrs
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

_SCALARS: Final[Mapping[type, Schema]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    datetime: INSTANT,
    date: {"type": "string", "format": "date"},
}
_ARRAYS: Final = {frozenset: True, set: True, list: False, tuple: False}


class Walker:
    """Describes attrs classes as JSON Schemas.

    Args:
        names: the classes that are components, by their component name: a field of
            one of these classes is a ``$ref``; any other attrs class is inlined.
    """

    def __init__(self, names: Mapping[type, str]) -> None:
        self._names = dict(names)

    def components(self) -> dict[str, Schema]:
        """A schema for every named class, under its component name."""
        return {name: self.shape(cls) for cls, name in self._names.items()}

    def shape(self, cls: type) -> Schema:
        """The object schema of attrs class ``cls``: every field a property, the fields
        without a default required, nothing else allowed."""
        attributes = attrs.fields(attrs.resolve_types(cls))
        schema: Schema = {"type": "object"}
        doc = inspect.getdoc(cls)
        if doc and not doc.startswith(f"{cls.__name__}("):
            schema["description"] = doc.split("\n\n")[0].replace("\n", " ")
        schema["required"] = [a.name for a in attributes if a.default is attrs.NOTHING]
        schema["properties"] = {a.name: self.field(a) for a in attributes}
        schema["additionalProperties"] = False
        return schema

    def field(self, attribute: attrs.Attribute[Any]) -> Schema:
        """One field's schema: its type's, then its metadata (``describe``)."""
        schema = self.of(attribute.type)
        meta = attribute.metadata
        # NOTE: JSON Schema 2020-12 reads keywords beside a $ref, and each keyword only
        # applies to its own type, so ``null`` passes a maxLength: no wrapping needed.
        schema.update(meta.get("schema", {}))
        if "description" in meta:
            schema["description"] = meta["description"]
        if "example" in meta:
            schema["examples"] = [meta["example"]]
        return schema

    def of(self, kind: Any) -> Schema:
        """The schema of values of type ``kind``."""
        if kind is Any:  # NOTE: any JSON value (the event catalog holds whole schemas).
            return {}
        origin, args = get_origin(kind), get_args(kind)
        if origin in (Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            inner = (
                self.of(options[0]) if len(options) == 1 else {"anyOf": [*map(self.of, options)]}
            )
            if len(options) == len(args):
                return inner
            return _nullable(inner)
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


def _nullable(schema: Schema) -> Schema:
    if "type" in schema and isinstance(schema["type"], str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}
