"""GET /: someone who opens the port finds the docs, the OpenAPI document, /admin and
/healthz; an API client asking for JSON gets the same links as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from falcon import testing

from connect._version import __version__
from connect.adapters.http import create_app
from connect.adapters.http.pages.home import LINKS
from connect.bootstrap import Connect

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
EXPECTED = {"/docs/api", "/openapi.json", "/admin", "/healthz", "/api/v1/event-types"}


@pytest.fixture
def client(memory_connect: Connect) -> testing.TestClient:
    return testing.TestClient(create_app(memory_connect))


def test_an_api_client_asking_for_json_gets_every_link_and_each_one_answers(
    client: testing.TestClient,
) -> None:
    reply = client.simulate_get("/", headers={"Accept": "application/json"})
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/json")
    assert "Accept" in reply.headers["vary"]
    document: dict[str, Any] = reply.json
    assert document["name"] == "Connect" and document["version"] == __version__
    assert {link["href"] for link in document["links"]} == EXPECTED
    for link in document["links"]:
        assert link["rel"] and link["title"]
        assert client.simulate_get(link["href"]).status_code == 200, link


@pytest.mark.parametrize("accept", [BROWSER, "*/*", None])
def test_a_browser_and_a_client_without_preference_get_the_locked_down_page(
    client: testing.TestClient, accept: str | None
) -> None:
    reply = client.simulate_get("/", headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    csp = reply.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["referrer-policy"] == "no-referrer"
    for href in EXPECTED:
        assert f'href="{href}"' in reply.text


def test_the_link_header_names_the_docs_the_description_and_the_status(
    client: testing.TestClient,
) -> None:
    header = client.simulate_get("/").headers["link"]
    assert '</docs/api>; rel="service-doc"' in header
    assert '</openapi.json>; rel="service-desc"' in header
    assert '</healthz>; rel="status"' in header
    assert {link.href for link in LINKS} == EXPECTED


def test_head_of_the_home_page_is_its_headers_without_a_body(
    client: testing.TestClient,
) -> None:
    for accept in (BROWSER, "application/json"):
        got = client.simulate_get("/", headers={"Accept": accept})
        head = client.simulate_head("/", headers={"Accept": accept})
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["content-type"] == got.headers["content-type"]


def test_the_home_page_is_documented_as_a_public_operation(
    client: testing.TestClient,
) -> None:
    operation = client.simulate_get("/openapi.json").json["paths"]["/"]["get"]
    assert operation["security"] == []
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"text/html", "application/json"}
