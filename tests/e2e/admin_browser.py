"""The organizer page in a browser: a module-wide server, a watched page, signing in.

The test modules wrap these generators in fixtures of their own (two lines each), so
each module gets one server and pytest's fixture lookup stays plain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.server import RunningServer

TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for a module: these tests only add rows (and each close costs time)."""
    running = RunningServer(tmp_path_factory.mktemp("admin") / "connect.db")
    yield running
    running.close()


def watched_page(
    browser: Any, base_url: str, viewport: dict[str, int] = DESKTOP, **options: Any
) -> Iterator[Any]:
    """/admin in a fresh context; any CSP violation or page error fails the test."""
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    opened.csp_violations = []
    opened.on(
        "console",
        lambda m: (
            opened.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    opened.on("pageerror", lambda e: opened.csp_violations.append(str(e)))
    opened.goto(base_url + "/admin")
    yield opened
    assert opened.csp_violations == []
    context.close()


def sign_in(page: Any, token: str, tab: str = "API keys") -> None:
    """Sign in (the Submissions tab opens first), then open ``tab``."""
    page.get_by_label("Organizer API key").fill(token)
    page.get_by_role("button", name="Use this key").click()
    page.get_by_role("heading", name="Submissions", exact=True).wait_for()
    page.get_by_role("tab", name=tab).click()
