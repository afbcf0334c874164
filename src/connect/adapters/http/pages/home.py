"""``/``: where someone who opens the port in a browser finds their way on."""

from __future__ import annotations

from html import escape
from typing import Final, Literal

from attrs import field, frozen

from connect._version import __version__
from connect.domain.shapes import describe


@frozen
class LinkDocument:
    """A place to go from the home page."""

    rel: str = field(
        metadata=describe(
            "The link relation: RFC 8631's service-doc, service-desc or status; "
            "Connect's own names otherwise.",
            example="service-doc",
        )
    )
    href: str = field(metadata=describe("The path.", example="/docs/api"))
    title: str = field(metadata=describe("What it is, for people.", example="API reference"))


@frozen
class Link(LinkDocument):
    """A place to go, with one sentence (``note``) on who it is for, shown on the page."""

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


@frozen
class HomeDocument:
    """The home page as JSON: the service, its version and where to go."""

    name: Literal["Connect"]
    description: str = field(metadata=describe("What Connect is.", example=_ABOUT))
    version: str = field(metadata=describe("The version running.", example=__version__))
    # NOTE: rendered as the declared LinkDocument (cattrs unstructures by the field's
    # type): a Link's note stays on the page.
    links: tuple[LinkDocument, ...]


_CSS: Final = """
body{margin:0 auto;max-width:42rem;padding:2rem 1rem;font:16px/1.55 system-ui,sans-serif;
color:#1d2430}
h1{margin:0 0 .2em}p{color:#5b6576}a{color:#b7410e}a:focus{outline:2px solid #1f6feb}
li{margin:.5em 0}code{font:14px ui-monospace,monospace;background:#f5f7fa;padding:1px 4px}
"""


def home_document(version: str) -> HomeDocument:
    return HomeDocument("Connect", _ABOUT, version, LINKS)


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
