"""The walker describes attrs classes, and their ``describe`` metadata, as JSON Schema."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import jsonschema
import pytest
from attrs import field, frozen

from connect.adapters.http.openapi.walker import Walker
from connect.domain.mode import Mode
from connect.domain.requests.rules import UNSET, Unset
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


@frozen
class Change:
    """A change."""

    title: str | Unset = field(default=UNSET, metadata=describe("The title.", example="Hi"))
    note: str | Unset | None = UNSET
    mode: Mode | None = None
    count: int = field(default=3, metadata=describe("How many.", minimum=1))
    since: datetime = field(
        default=None, metadata=describe("An ISO date or datetime.", json_type=str)
    )


def test_unset_is_no_json_value_and_a_field_with_a_default_is_not_required() -> None:
    schema = Walker({}).shape(Change)
    properties = schema["properties"]
    assert schema["required"] == []
    assert properties["title"] == {
        "type": "string",
        "description": "The title.",
        "examples": ["Hi"],
    }
    assert properties["note"] == {"type": ["string", "null"]}
    assert properties["count"]["default"] == 3, "a JSON scalar default is shown"
    assert "default" not in properties["title"] and "default" not in properties["mode"]


def test_a_nullable_enum_takes_null_and_metadata_says_the_json_form() -> None:
    properties = Walker({}).shape(Change)["properties"]
    assert properties["mode"] == {"type": ["string", "null"], "enum": ["live", "test", None]}
    jsonschema.validate(None, properties["mode"])
    assert properties["since"] == {"type": "string", "description": "An ISO date or datetime."}


def test_members_rename_and_restrict_the_fields_shown() -> None:
    renamed = (("speaker_name", "speakerName"), ("minutes", "length"))
    schema = Walker({}).shape(Talk, members=renamed)
    assert list(schema["properties"]) == ["speakerName", "length"]
    assert schema["required"] == ["speakerName", "length"]
    by_default = Walker({}, {Talk: renamed}).shape(Talk)
    assert by_default == schema, "a class's members given once apply wherever it is shown"


def test_several_classes_make_one_object_of_their_fields() -> None:
    schema = Walker({}).shape(Slot, Change)
    assert list(schema["properties"]) == ["day", "starts_at", "title", "note", "mode", "count",
                                          "since"]  # fmt: skip
    assert schema["required"] == ["day", "starts_at"]
    assert schema["description"] == "A talk slot."


def test_a_component_example_is_made_of_its_fields_examples_and_is_valid() -> None:
    walker = Walker({Slot: "Slot", Talk: "Talk"})
    talk = walker.component(Talk)
    example = talk["examples"][0]
    assert example["speaker_name"] == "Ferris", "a field's own example"
    assert example["rating"] is None, "a nullable field without one is null"
    assert example["mode"] == "live" and example["kind"] == "talk"
    assert example["slots"] == [{"day": "2026-03-18", "starts_at": None}], "a $ref's example"
    schemas = walker.components()
    validator = jsonschema.Draft202012Validator({**talk, "components": {"schemas": schemas}})
    validator.validate(example)
    assert walker.component(Change)["examples"] == [
        {"title": "Hi", "note": None, "mode": None, "count": 1, "since": "text"}
    ]
