"""What the OpenAPI document covers, as sets a later document must keep (or grow).

``python -m tests.http.openapi_coverage`` rewrites ``openapi_coverage_before.json`` from
today's document; only do that when an entry is removed on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BEFORE = Path(__file__).with_name("openapi_coverage_before.json")
_METHODS = ("get", "put", "post", "patch", "delete")


def _deref(document: dict[str, Any], node: Any) -> Any:
    """``node`` with its ``$ref`` (chain) followed inside ``document``."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _fields(
    document: dict[str, Any], schema: Any, prefix: str, seen: frozenset[str]
) -> Iterator[str]:
    """Every property path of ``schema``: ``a``, ``a.b``, ``list[].c``; refs followed once."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if ref in seen:
        return
    seen = seen | {ref} if ref else seen
    schema = _deref(document, schema)
    if not isinstance(schema, dict):
        return
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path
        yield from _fields(document, sub, path, seen)
    if "items" in schema:
        yield from _fields(document, schema["items"], f"{prefix}[]", seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            yield from _fields(document, sub, prefix, seen)


def _content(document: dict[str, Any], where: str, body: Any) -> Iterator[tuple[str, str]]:
    body = _deref(document, body)
    for media, content in body.get("content", {}).items():
        yield "responses", f"{where} {media}"
        for field in _fields(document, content.get("schema", {}), "", frozenset()):
            yield "fields", f"{where} {media} : {field}"


def _operation(
    document: dict[str, Any], where: str, op: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    yield "operations", where
    for parameter in op.get("parameters", []):
        parameter = _deref(document, parameter)
        yield "parameters", f"{where} {parameter['in']}:{parameter['name']}"
    if "requestBody" in op:
        yield from _content(document, f"{where} request", op["requestBody"])
    for status, response in op.get("responses", {}).items():
        yield "responses", f"{where} {status}"
        yield from _content(document, f"{where} {status}", response)


def coverage(document: dict[str, Any]) -> dict[str, list[str]]:
    """The operations, parameters, responses, fields (of bodies, answers, components and
    webhook payloads) and problem kinds ``document`` documents, each sorted."""
    found: dict[str, set[str]] = {
        "operations": set(),
        "parameters": set(),
        "responses": set(),
        "fields": set(),
        "problems": set(),
    }
    for section, prefix in (("paths", ""), ("webhooks", "webhook ")):
        for path, item in document[section].items():
            for method in _METHODS:
                if method in item:
                    where = f"{prefix}{method.upper()} {path}"
                    for kind, entry in _operation(document, where, item[method]):
                        found[kind].add(entry)
    for name, schema in document["components"]["schemas"].items():
        found["fields"].update(
            f"schema {name} : {f}" for f in _fields(document, schema, "", frozenset())
        )
    found["problems"] = {f"{p['kind']} {p['status']}" for p in document["x-problem-types"]}
    return {kind: sorted(entries) for kind, entries in found.items()}


if __name__ == "__main__":
    from connect.adapters.http.openapi import build_document
    from connect.adapters.http.routes import ROUTES

    text = json.dumps(coverage(build_document("0.0.0", ROUTES)), indent=1)
    BEFORE.write_text(text + "\n", encoding="utf-8")
