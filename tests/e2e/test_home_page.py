"""GET / in a real browser (chromium) on the real server: the way on, by keyboard too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 10_000


@pytest.fixture
def page(browser: Any, server: RunningServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    opened.problems = []
    opened.on(
        "console",
        lambda m: opened.problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    opened.on("pageerror", lambda e: opened.problems.append(str(e)))
    opened.goto(server.base_url + "/")
    yield opened
    assert opened.problems == [], "no CSP violation or script error on the way"
    context.close()


@pytest.mark.parametrize(
    ("name", "arrives"),
    [
        ("API reference", "/docs/api"),
        ("OpenAPI document", "/openapi.json"),
        ("Organizer page", "/admin"),
        ("Health check", "/healthz"),
        ("Event types", "/api/v1/event-types"),
    ],
)
def test_someone_who_opens_the_port_in_a_browser_finds_the_way_on(
    page: Any, server: RunningServer, name: str, arrives: str
) -> None:
    assert page.title() == "Connect"
    page.get_by_role("heading", name="Connect").wait_for()
    with page.expect_navigation():
        page.get_by_role("link", name=name).click()
    assert page.url == server.base_url + arrives
    assert server.request("GET", arrives).status == 200


def test_the_links_are_reached_and_followed_by_keyboard(page: Any, server: RunningServer) -> None:
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "API reference"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == server.base_url + "/docs/api"
