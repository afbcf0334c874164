"""The public documents on the real server: /openapi.json and /docs/api."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the module: these tests only add rows (and each close costs time)."""
    running = RunningServer(tmp_path_factory.mktemp("docs") / "connect.db")
    yield running
    running.close()


PROBLEM_KINDS = [
    "validation-failed",
    "malformed-request",
    "body-too-large",
    "unauthenticated",
    "forbidden",
    "not-found",
    "method-not-allowed",
    "conflict",
    "internal",
    "storage-unavailable",
    "rate-limited-per-key",
    "rate-limited-exports",
    "rate-limited-form",
    "rate-limited-auth-failures",
    "rate-limited-auth-failures-per-key",
    "overloaded",
    "idempotency-key-invalid",
    "idempotency-key-reused",
    "secret-unreadable",
    "http-error",
]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def test_openapi_json_is_served_publicly_as_json(server: RunningServer) -> None:
    reply = server.request("GET", "/openapi.json")
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json()["openapi"] == "3.1.0"
    assert "/api/v1/keys/{id}/rotate" in reply.json()["paths"]
    assert reply.headers["ETag"]


def test_docs_page_is_public_html_with_an_anchor_for_every_problem_type(
    server: RunningServer,
) -> None:
    reply = server.request("GET", "/docs/api")
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    parser = _Ids()
    parser.feed(reply.text)
    missing = [kind for kind in PROBLEM_KINDS if f"problem-{kind}" not in parser.ids]
    assert missing == []
    assert server.base_url in reply.text, "the quickstart shows this server's address"


def test_a_problem_links_to_an_anchor_that_exists_on_the_docs_page(
    server: RunningServer,
) -> None:
    problem = server.request("GET", "/api/v1/keys").json()
    path, _, anchor = problem["type"].partition("#")
    parser = _Ids()
    parser.feed(server.request("GET", path).text)
    assert anchor == "problem-unauthenticated"
    assert anchor in parser.ids
