"""The organizer page in a real browser (chromium), against the real server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from tests.e2e.admin_browser import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    admin_server,
    sign_in,
    watched_page,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    yield from admin_server(tmp_path_factory)


@pytest.fixture
def page(browser: Any, server: RunningServer) -> Iterator[Any]:
    yield from watched_page(browser, server.base_url)


def test_an_organizer_creates_a_key_sees_its_token_once_and_revokes_it(
    page: Any, server: RunningServer
) -> None:
    sign_in(page, server.organizer)
    page.get_by_label("Name").fill("Calendar sync")
    page.get_by_label("exports:create").check()
    page.get_by_label("Mode").select_option("test")
    page.get_by_role("button", name="Create key").click()

    page.get_by_text("you will not see it again").wait_for()
    token = page.locator("#key-token-value").input_value()
    assert token.startswith("rnc_test_") and len(token) == 33
    key_id = token[:17]
    row = page.locator(f'tr[data-key-id="{key_id}"]')
    assert "Calendar sync" in row.inner_text()
    assert "Active" in row.locator(".state").inner_text()
    listed = server.request("GET", "/api/v1/keys", token=server.organizer).json()["data"]
    assert any(k["key_id"] == key_id and k["scopes"] == ["exports:create"] for k in listed)

    assert page.evaluate("localStorage.length") == 0
    assert server.organizer not in page.url
    page.reload()
    page.get_by_role("tab", name="API keys").click()
    page.get_by_role("heading", name="Keys", exact=True).wait_for()
    assert token not in page.content(), "the token is shown once, not after a reload"

    page.get_by_role("button", name=f"Revoke key Calendar sync ({key_id})").click()
    page.get_by_role("dialog").get_by_role("button", name="OK").click()
    page.get_by_text(f"Revoked Calendar sync ({key_id}).").wait_for()
    expect(page.locator(f'tr[data-key-id="{key_id}"] .state')).to_contain_text("Revoked")
    assert server.request("GET", "/api/v1/submissions", token=token).status == 401


def test_a_key_without_keys_manage_is_refused_with_the_problem_detail(
    page: Any, server: RunningServer
) -> None:
    reader = server.key("submissions:read")
    page.get_by_label("Organizer API key").fill(reader)
    page.get_by_role("button", name="Use this key").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "keys:manage" in alert.inner_text()
    assert page.evaluate("sessionStorage.length") == 0


def test_rotating_a_key_shows_the_new_token_once(page: Any, server: RunningServer) -> None:
    old = server.key("submissions:read", name="Discord bot")
    sign_in(page, server.organizer)
    page.get_by_role("button", name=f"Rotate key Discord bot ({old[:17]})").click()
    page.get_by_label("Old one keeps working for (seconds)").fill("0")
    page.get_by_role("dialog").get_by_role("button", name="OK").click()
    page.get_by_text("you will not see it again").wait_for()
    fresh = page.locator("#key-token-value").input_value()
    assert fresh != old
    assert server.request("GET", "/api/v1/submissions", token=fresh).status == 200
    assert server.request("GET", "/api/v1/submissions", token=old).status == 401


def test_the_activity_tab_shows_the_metrics_and_the_recent_requests(
    page: Any, server: RunningServer
) -> None:
    sign_in(page, server.organizer)
    assert server.request("GET", "/api/v1/submissions/424242", token=server.organizer).status == 404
    assert server.connect.audit.flush()
    page.get_by_role("tab", name="Activity").click()
    expected = server.request("GET", "/api/v1/metrics", token=server.organizer).json()
    keys_created = page.locator('tr[data-metric="api_keys_created"]')
    expect(keys_created.locator(".value")).to_have_text(str(expected["api_keys_created"]))
    expect(keys_created).to_contain_text(">= 10")
    lookup = page.locator("#audit tr", has_text="GET /api/v1/submissions/{id}").first
    expect(lookup.locator(".status")).to_have_text("404")
    assert server.organizer not in page.content(), "the audit view shows key ids, not tokens"


@pytest.fixture
def hook_server(tmp_path: Path) -> Iterator[RunningServer]:
    config = Config(webhook_allow_networks=("127.0.0.0/8",))
    running = RunningServer(tmp_path / "connect.db", config)
    yield running
    running.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_organizer_manages_a_webhook_from_the_page(
    browser: Any, hook_server: RunningServer
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(hook_server.base_url + "/admin")
        sign_in(page, hook_server.organizer)
        page.get_by_role("tab", name="Webhooks").click()
        url = f"https://127.0.0.1:{_closed_port()}/hooks"
        page.get_by_label("HTTPS URL").fill(url)
        page.get_by_label("submission.created").check()
        page.get_by_role("button", name="Register webhook").click()
        page.get_by_text("you will not see it again").wait_for()
        assert page.locator("#hook-secret-value").input_value().startswith("whsec_")
        hook = hook_server.request("GET", "/api/v1/webhooks", token=hook_server.organizer).json()
        hook_id = hook["data"][0]["id"]
        row = page.locator(f'tr[data-webhook-id="{hook_id}"]')
        assert url in row.inner_text()

        page.get_by_role("button", name=f"Disable webhook {hook_id}").click()
        page.get_by_text(f"Disabled webhook {hook_id}.").wait_for()
        state = page.locator(f'tr[data-webhook-id="{hook_id}"] .state')
        expect(state).to_contain_text("Disabled")
        page.get_by_role("button", name=f"Enable webhook {hook_id}").click()
        page.get_by_text(f"Enabled webhook {hook_id}.").wait_for()
        expect(state).to_contain_text("Active")

        page.get_by_role("button", name=f"Rotate the secret of webhook {hook_id}").click()
        page.get_by_role("dialog").get_by_role("button", name="OK").click()
        page.get_by_text("New signing secret").wait_for()

        page.get_by_role("button", name=f"Send a test event to webhook {hook_id}").click()
        # The attempt fails (nothing listens on that port); either way the result is readable.
        page.locator("#status:not([hidden]), #error:not([hidden])").first.wait_for()
        assert "Internal error" not in page.content()

        hook_server.request(
            "POST",
            "/api/v1/submissions",
            token=hook_server.organizer,
            json_body={"speaker_name": "Ferris", "talk_context": "Hooks"},
        )
        page.get_by_role("button", name=f"Deliveries of webhook {hook_id}").click()
        deliveries = page.locator("tr.deliveries")
        deliveries.get_by_text("submission.created").first.wait_for()
        deliveries.get_by_role("button", name="Redeliver delivery").first.click()
        page.locator("#status:not([hidden]), #error:not([hidden])").first.wait_for()
        assert "Internal error" not in page.content()
    finally:
        context.close()


def test_an_organizer_recovers_given_up_deliveries_beside_the_log(
    browser: Any, hook_server: RunningServer
) -> None:
    token = hook_server.organizer
    url = f"https://127.0.0.1:{_closed_port()}/hooks"
    hook = hook_server.request(
        "POST",
        "/api/v1/webhooks",
        token=token,
        json_body={"url": url, "events": ["talk.scheduled", "submission.created"]},
    ).json()
    hook_server.request(
        "POST",
        "/api/v1/submissions",
        token=token,
        json_body={"speaker_name": "Ferris", "talk_context": "Hooks"},
    )
    # NOTE: no worker runs here; the delivery is given up the way the worker leaves it.
    with hook_server.connect.uow() as stores:
        (delivery,) = stores.deliveries.list(hook["id"], limit=5)
        stores.deliveries.reschedule(
            delivery.id,
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            now=delivery.created_at,
        )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(hook_server.base_url + "/admin")
        sign_in(page, token)
        given_up = page.locator('tr[data-metric="deliveries_exhausted_7d"] .value')
        page.get_by_role("tab", name="Activity").click()
        expect(given_up).to_have_text("1")
        page.get_by_role("tab", name="Webhooks").click()
        page.get_by_role("button", name=f"Deliveries of webhook {hook['id']}").click()
        log = page.locator("tr.deliveries")
        expect(log.locator(".badge")).to_have_text("failed")
        page.get_by_role(
            "button", name=f"Recover failed deliveries of webhook {hook['id']}"
        ).click()
        page.get_by_text(f"Queued 1 failed deliveries of webhook {hook['id']} again").wait_for()
        expect(page.locator("tr.deliveries .badge")).to_have_text("pending")

        page.get_by_role("tab", name="Activity").click()
        page.get_by_role("button", name="Refresh").click()
        expect(given_up).to_have_text("0")
    finally:
        context.close()


SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "admin"
TABS = ["Submissions", "API keys", "Webhooks", "Activity"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_tab_passes_the_accessibility_audit_and_fits_the_width(
    browser: Any, server: RunningServer, viewport: dict[str, int]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    talk = server.request(
        "POST",
        "/api/v1/submissions",
        token=server.organizer,
        json_body={"speaker_name": "Ferris Audit", "talk_context": "A talk long enough " * 8},
    ).json()
    server.request(
        "PATCH",
        f"/api/v1/submissions/{talk['id']}",
        token=server.organizer,
        json_body={"scheduled_date": "2026-05-20"},
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = viewport["width"]
    for page in watched_page(browser, server.base_url, viewport):
        sign_in(page, server.organizer, tab="Submissions")
        page.get_by_role("button", name=f"Open submission {talk['id']} by Ferris Audit").click()
        page.get_by_role("heading", name=f"Submission {talk['id']}: Ferris Audit").wait_for()
        for tab in TABS:
            page.get_by_role("tab", name=tab).click()
            page.wait_for_load_state("networkidle")
            found = Axe().run(page).response["violations"]
            bad = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in found
                if v["impact"] in ("serious", "critical")
            ]
            assert bad == [], f"{tab} at {width}px"
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{tab} at {width}px scrolls sideways ({overflow}px)"
            name = tab.lower().replace(" ", "-")
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def test_without_javascript_the_page_says_so_instead_of_a_dead_form(
    browser: Any, server: RunningServer
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.base_url + "/admin")
        expect(page.get_by_label("Organizer API key")).to_be_hidden()
        # NOTE: Playwright turns scripts off after parsing starts, so chromium's parser
        # still treats <noscript> as raw text here; read what it holds instead.
        message = page.locator("noscript").inner_html()
        assert "This page needs JavaScript." in message
        assert 'href="/docs/api"' in message
    finally:
        context.close()
