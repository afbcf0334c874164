"""The walker describes attrs classes, and their ``describe`` metadata, as JSON Schema."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import jsonschema
import pytest
from attrs import field, frozen

from connect.adapters.http.openapi.walker import Walker
from connect.domain.mode import Mode
from connect.domain.shapes import describe
from connect.domain.submissions import NAME_MAX


@frozen
class Slot:
    """A talk slot.

    More words that stay out of the schema.
    """

    day: date
    starts_at: datetime | None


@frozen
class Talk:
    speaker_name: str = field(
        metadata=describe("Who gives the talk", example="Ferris", maxLength=NAME_MAX)
    )
    minutes: int
    rating: float | None
    live: bool
    mode: Mode
    kind: Literal["talk"]
    tags: frozenset[str]
    slots: tuple[Slot, ...]
    slot: Slot | None
    extras: dict[str, int]
    note: str | None = None


def test_a_shape_lists_its_fields_requires_those_without_default_and_refuses_others() -> None:
    schema = Walker({Slot: "Slot"}).shape(Talk)
    assert list(schema["properties"]) == [
        "speaker_name", "minutes", "rating", "live", "mode", "kind", "tags", "slots",
        "slot", "extras", "note",
    ]  # fmt: skip
    assert schema["required"] == list(schema["properties"])[:-1]
    assert schema["additionalProperties"] is False
    properties = schema["properties"]
    assert properties["speaker_name"] == {
        "type": "string",
        "maxLength": NAME_MAX,
        "description": "Who gives the talk",
        "examples": ["Ferris"],
    }
    assert properties["rating"] == {"type": ["number", "null"]}
    assert properties["mode"] == {"type": "string", "enum": [m.value for m in Mode]}
    assert properties["kind"] == {"const": "talk"}
    assert properties["tags"] == {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    assert properties["slots"]["items"] == {"$ref": "#/components/schemas/Slot"}
    assert properties["slot"] == {
        "anyOf": [{"$ref": "#/components/schemas/Slot"}, {"type": "null"}]
    }
    assert properties["extras"] == {"type": "object", "additionalProperties": {"type": "integer"}}


def test_an_unnamed_class_is_inlined_with_its_docstring_summary() -> None:
    slot = Walker({}).shape(Talk)["properties"]["slot"]
    assert slot["type"] == ["object", "null"]
    assert slot["description"] == "A talk slot."
    assert slot["properties"]["day"] == {"type": "string", "format": "date"}
    assert slot["properties"]["starts_at"]["type"] == ["string", "null"]
    assert slot["properties"]["starts_at"]["format"] == "date-time"


def test_the_schema_accepts_a_rendered_value_and_refuses_a_wrong_one() -> None:
    schema = Walker({}).shape(Talk)
    talk = {
        "speaker_name": "Ferris", "minutes": 30, "rating": None, "live": True, "mode": "live",
        "kind": "talk", "tags": ["rust"], "slots": [{"day": "2026-03-18", "starts_at": None}],
        "slot": None, "extras": {"a": 1},
    }  # fmt: skip
    jsonschema.validate(talk, schema)
    for wrong in ({"speaker_name": "x" * (NAME_MAX + 1)}, {"surprise": 1}, {"mode": "x"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**talk, **wrong}, schema)


def test_a_type_without_a_schema_is_refused() -> None:
    with pytest.raises(TypeError, match="bytes"):
        Walker({}).of(bytes)
