"""``/``: where someone who opens the port in a browser finds their way on."""

from __future__ import annotations

from html import escape
from typing import Any, Final

from attrs import frozen


@frozen
class Link:
    """One place to go from the home page.

    Attributes:
        rel: the link relation (RFC 8631's ``service-doc``, ``service-desc``,
            ``status``; Connect's own names otherwise).
        href: the path.
        title: what it is, for people.
        note: one sentence on who it is for.
    """

    rel: str
    href: str
    title: str
    note: str


LINKS: Final = (
    Link("service-doc", "/docs/api", "API reference", "Every endpoint, field and problem."),
    Link(
        "service-desc",
        "/openapi.json",
        "OpenAPI document",
        "The same reference as OpenAPI 3.1, for code generators and API tools.",
    ),
    Link(
        "admin",
        "/admin",
        "Organizer page",
        "Keys, webhooks and activity; sign in with a keys:manage key.",
    ),
    Link("status", "/healthz", "Health check", "200 while the database answers."),
    Link(
        "event-types",
        "/api/v1/event-types",
        "Event types",
        "Each webhook event with its JSON Schema and an example.",
    ),
)

_ABOUT: Final = "API keys, exports and signed webhooks for Rust NYC talk submissions."
_CSS: Final = """
body{margin:0 auto;max-width:42rem;padding:2rem 1rem;font:16px/1.55 system-ui,sans-serif;
color:#1d2430}
h1{margin:0 0 .2em}p{color:#5b6576}a{color:#b7410e}a:focus{outline:2px solid #1f6feb}
li{margin:.5em 0}code{font:14px ui-monospace,monospace;background:#f5f7fa;padding:1px 4px}
"""


def home_document(version: str) -> dict[str, Any]:
    """The home page as JSON: the service, its version and where to go."""
    return {
        "name": "Connect",
        "description": _ABOUT,
        "version": version,
        "links": [{"rel": link.rel, "href": link.href, "title": link.title} for link in LINKS],
    }


def render_home(version: str) -> str:
    """The home page as HTML: no script, one inline style, links only."""
    items = "".join(
        f'<li><a href="{escape(link.href)}">{escape(link.title)}</a> '
        f"<code>{escape(link.href)}</code>: {escape(link.note)}</li>"
        for link in LINKS
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Connect</title><style>{_CSS}</style></head><body><main>"
        f"<h1>Connect</h1><p>{_ABOUT} Version {escape(version)}.</p>"
        f'<nav aria-label="Connect"><ul>{items}</ul></nav>'
        "<p>The first organizer key is printed once by <code>connect serve</code> on an "
        "empty database; on every later start it prints the command that makes another."
        "</p></main></body></html>"
    )


# NOTE: in a Link header a relation is either registered or a URI (RFC 8288).
_REGISTERED: Final = frozenset({"service-doc", "service-desc", "status"})


def link_header() -> str:
    """The RFC 8288 ``Link`` header naming the places with a registered relation."""
    named = (link for link in LINKS if link.rel in _REGISTERED)
    return ", ".join(f'<{link.href}>; rel="{link.rel}"' for link in named)
