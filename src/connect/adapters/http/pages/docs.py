"""/docs/api: the human reference, rendered server-side from the OpenAPI document."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from typing import Any

from connect.adapters.http.pages import guide
from connect.adapters.http.pages.style import DOCS_CSS

_METHODS = ("get", "post", "put", "patch", "delete")
_CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """Escape ``text`` and turn `backticks` into <code>."""
    return _CODE.sub(r"<code>\1</code>", escape(text))


def _resolve(document: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _type_of(schema: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return f'<a href="#schema-{name}">{name}</a>'
    if "anyOf" in schema:
        return " or ".join(_type_of(s) for s in schema["anyOf"])
    if "const" in schema:
        return f"<code>{escape(json.dumps(schema['const']))}</code>"
    kinds = schema.get("type", "object")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    shown = []
    for kind in kinds:
        if kind == "array":
            shown.append(f"array of {_type_of(schema.get('items', {}))}")
        elif "enum" in schema and kind != "null":
            shown.append(" | ".join(f"<code>{escape(str(v))}</code>" for v in schema["enum"]))
        elif kind == "null":
            shown.append("null")
        else:
            shown.append(escape(kind + (f" ({schema['format']})" if "format" in schema else "")))
    return " or ".join(shown)


def _note(text: str, schema: Mapping[str, Any]) -> str:
    """``text`` and the default ``schema`` has, if any, as HTML."""
    if "default" in schema:
        text = f"{text} Default {json.dumps(schema['default'])}.".strip()
    return inline(text)


def _schema_table(document: Mapping[str, Any], schema: Mapping[str, Any]) -> str:
    schema = _resolve(document, schema)
    required = set(schema.get("required", ()))
    rows = [
        f"<tr><td><code>{escape(name)}</code>{' <em>required</em>' if name in required else ''}"
        f"</td><td>{_type_of(field)}</td><td>{_note(field.get('description', ''), field)}</td></tr>"
        for name, field in schema.get("properties", {}).items()
    ]
    if not rows:
        return f"<p>{inline(schema.get('description', 'A JSON object.'))}</p>"
    return (
        "<table><thead><tr><th>Field</th><th>Type</th><th>Notes</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _parameters(document: Mapping[str, Any], operation: Mapping[str, Any]) -> str:
    params = [_resolve(document, p) for p in operation.get("parameters", ())]
    if not params:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{_type_of(p.get('schema', {}))}</td>"
        f"<td>{_note(p.get('description', ''), p.get('schema', {}))}</td></tr>"
        for p in params
    )
    return (
        "<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th>"
        f"<th>Notes</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _body(document: Mapping[str, Any], operation: Mapping[str, Any]) -> str:
    body = operation.get("requestBody")
    if body is None:
        return ""
    schema = next(iter(body["content"].values()))["schema"]
    resolved = _resolve(document, schema)
    example = ""
    if resolved.get("examples"):
        example = f"<pre><code>{escape(json.dumps(resolved['examples'][0], indent=2))}</code></pre>"
    optional = "" if body.get("required", False) else " (optional)"
    return f"<h4>Body{optional}: {_type_of(schema)}</h4>{_schema_table(document, schema)}{example}"


def _responses(document: Mapping[str, Any], operation: Mapping[str, Any]) -> str:
    items = []
    for status, response in operation["responses"].items():
        resolved = _resolve(document, response)
        content = resolved.get("content", {})
        shown = ""
        if content:
            media, spec = next(iter(content.items()))
            target = f" {_type_of(spec['schema'])}" if "$ref" in spec.get("schema", {}) else ""
            shown = f" <code>{escape(media)}</code>{target}"
        headers = ", ".join(f"<code>{escape(h)}</code>" for h in resolved.get("headers", {}))
        items.append(
            f'<li><span class="status s{status[0]}">{escape(status)}</span> '
            f"{inline(resolved.get('description', ''))}{shown}"
            f"{' Headers: ' + headers + '.' if headers else ''}</li>"
        )
    return f'<h4>Responses</h4><ul class="responses">{"".join(items)}</ul>'


def _operation(document: Mapping[str, Any], path: str, method: str, op: Mapping[str, Any]) -> str:
    scope = op.get("x-required-scope")
    badge = (
        f'<span class="scope">{escape(scope)}</span>'
        if scope
        else ('<span class="scope public">public</span>')
    )
    return (
        f'<section class="op" id="op-{escape(op["operationId"])}">'
        f'<h3><span class="method {method}">{method.upper()}</span> '
        f"<code>{escape(path)}</code> {badge}</h3>"
        f"<p><strong>{escape(op['summary'])}.</strong> {inline(op.get('description', ''))}</p>"
        f"{_parameters(document, op)}{_body(document, op)}{_responses(document, op)}</section>"
    )


def _endpoints(document: Mapping[str, Any]) -> tuple[str, str]:
    html, toc = [], []
    for tag in document["tags"]:
        ops = [
            (path, method, item[method])
            for path, item in document["paths"].items()
            for method in _METHODS
            if method in item and tag["name"] in item[method]["tags"]
        ]
        anchor = "tag-" + tag["name"].lower().replace(" ", "-")
        toc.append(f'<li><a href="#{anchor}">{escape(tag["name"])}</a></li>')
        html.append(
            f'<h2 id="{anchor}">{escape(tag["name"])}</h2><p>{inline(tag["description"])}</p>'
        )
        html.extend(_operation(document, path, method, op) for path, method, op in ops)
    return "".join(html), "".join(toc)


def _events(document: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code></td>"
        f"<td>{inline(item['post']['description'].split(' Verify')[0])}</td></tr>"
        for name, item in document["webhooks"].items()
    )
    headers = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{inline(p['description'])}</td></tr>"
        for p in next(iter(document["webhooks"].values()))["post"]["parameters"]
    )
    return (
        "<h3>Events</h3><table><thead><tr><th>Event</th><th>When</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><h3>Request headers</h3><table><thead><tr>"
        f"<th>Header</th><th>Meaning</th></tr></thead><tbody>{headers}</tbody></table>"
    )


def _problems(document: Mapping[str, Any]) -> str:
    return "".join(
        f'<div class="problem" id="problem-{escape(p["kind"])}"><h3>'
        f'<span class="status s{str(p["status"])[0]}">{p["status"]}</span> '
        f"<code>{escape(p['kind'])}</code> &mdash; {escape(p['title'])}</h3>"
        f"<p>{inline(p['description'])}</p></div>"
        for p in document["x-problem-types"]
    )


_RESOURCES = ("Submission", "Key", "Webhook", "Delivery", "Attempt", "Event", "Problem")


def _schemas(document: Mapping[str, Any]) -> str:
    parts = []
    names = [*_RESOURCES, *(n for n in document["components"]["schemas"] if n not in _RESOURCES)]
    for name in names:
        schema = document["components"]["schemas"][name]
        example = json.dumps(schema["examples"][0], indent=2) if "examples" in schema else ""
        parts.append(
            f'<section class="op" id="schema-{name}"><h3>{name}</h3>'
            f"<p>{inline(schema.get('description', ''))}</p>{_schema_table(document, schema)}"
            + (
                f"<details><summary>Example</summary><pre><code>{escape(example)}</code></pre>"
                "</details>"
                if example
                else ""
            )
            + "</section>"
        )
    return "".join(parts)


def render_docs(document: Mapping[str, Any], base: str) -> str:
    """The whole page. ``base`` is the server origin shown in the curl examples."""
    endpoints, endpoint_toc = _endpoints(document)

    def prose(text: str) -> str:
        return text.format(base=escape(base), **guide.FACTS)

    info = document["info"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{escape(info["title"])} reference</title>
<style>{DOCS_CSS}</style></head>
<body><nav aria-label="Contents"><p class="brand">{escape(info["title"])}
<small>v{escape(info["version"])}</small></p><ul>
<li><a href="#quickstart">Quickstart</a></li><li><a href="#auth">Authentication and scopes</a></li>
<li><a href="#pagination">Pagination</a></li><li><a href="#errors">Errors</a></li>
<li><a href="#rate-limits">Rate limits</a></li><li><a href="#webhooks">Receiving webhooks</a></li>
<li class="group">Endpoints</li>{endpoint_toc}<li><a href="#schemas">Resources</a></li>
<li><a href="/openapi.json">openapi.json</a></li></ul></nav>
<main><h1>{escape(info["title"])} reference</h1><p class="lead">{inline(info["summary"])}</p>
<h2 id="quickstart">Quickstart</h2>{prose(guide.QUICKSTART)}
<h2 id="auth">Authentication and scopes</h2>{prose(guide.AUTH)}
<h2 id="pagination">Pagination</h2>{prose(guide.PAGINATION)}
<h2 id="errors">Errors</h2>{prose(guide.ERRORS)}{_problems(document)}
<h2 id="rate-limits">Rate limits</h2>{prose(guide.RATE_LIMITS)}
<h2 id="webhooks">Receiving webhooks</h2>{prose(guide.WEBHOOKS)}{_events(document)}
{endpoints}
<h2 id="schemas">Resources</h2>{_schemas(document)}
</main></body></html>
"""
