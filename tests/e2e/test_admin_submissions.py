"""The Submissions tab of /admin in chromium: review, move, schedule, export, subscribe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.admin_browser import admin_server, sign_in, watched_page
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
LIST = "/api/v1/submissions"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    yield from admin_server(tmp_path_factory)


@pytest.fixture
def page(browser: Any, server: RunningServer) -> Iterator[Any]:
    yield from watched_page(browser, server.base_url)


def submit(server: RunningServer, speaker: str, talk: str, token: str | None = None) -> int:
    reply = server.request(
        "POST",
        LIST,
        token=token or server.organizer,
        json_body={"speaker_name": speaker, "talk_context": talk},
    )
    assert reply.status == 201
    return int(reply.json()["id"])


def offered_moves(page: Any) -> list[str]:
    return page.locator("#detail-moves button").evaluate_all(
        "buttons => buttons.map(b => b.dataset.move)"
    )


def test_an_organizer_reviews_and_schedules_a_talk_with_the_keyboard_only(
    page: Any, server: RunningServer
) -> None:
    talk = submit(server, "Ferris Keyboard", "Borrowing without a mouse")
    submit(server, "Corro", "Unsafe, safely")
    sign_in(page, server.organizer, tab="Submissions")
    expect(page.locator("#subs-mode")).to_contain_text("live")

    page.get_by_label("Search speaker or talk").focus()
    page.keyboard.type("FERRIS keyboard")
    page.keyboard.press("Enter")
    rows = page.locator("#subs tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ferris Keyboard")

    page.get_by_role("button", name=f"Open submission {talk} by Ferris Keyboard").focus()
    page.keyboard.press("Enter")
    title = page.get_by_role("heading", name=f"Submission {talk}: Ferris Keyboard")
    expect(title).to_be_focused()

    def allowed() -> list[str]:
        detail = server.request("GET", f"{LIST}/{talk}", token=server.organizer).json()
        return [s for s in detail["allowed_transitions"] if s != "scheduled"]

    assert offered_moves(page) == allowed() == ["reviewing", "accepted", "waitlist", "declined"]
    page.get_by_role("button", name=f"Decline: submission {talk}").focus()
    page.keyboard.press("Enter")
    page.get_by_text(f"Submission {talk} is now declined.").wait_for()
    assert offered_moves(page) == allowed() == ["reviewing"]
    expect(page.locator("#schedule-form")).to_be_hidden()

    page.get_by_role("button", name=f"Start review: submission {talk}").focus()
    page.keyboard.press("Enter")
    page.get_by_text(f"Submission {talk} is now reviewing.").wait_for()
    page.get_by_label("Talk date").fill("2026-03-18")
    page.get_by_label("Talk date").press("Enter")
    page.get_by_text(f"Submission {talk} is now scheduled for 2026-03-18.").wait_for()
    stored = server.request("GET", f"{LIST}/{talk}", token=server.organizer).json()
    assert (stored["status"], stored["scheduled_date"]) == ("scheduled", "2026-03-18")
    assert offered_moves(page) == allowed()
    expect(page.get_by_role("button", name="Reschedule")).to_be_visible()

    day = page.locator('#schedule section[data-date="2026-03-18"]')
    expect(day).to_contain_text("Ferris Keyboard")
    expect(day.get_by_role("heading")).to_contain_text("2026")

    page.get_by_role("button", name="Back to the list").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#sub-detail")).to_be_hidden()
    expect(
        page.get_by_role("button", name=f"Open submission {talk} by Ferris Keyboard")
    ).to_be_focused()


def test_the_status_filter_and_the_tabs_answer_to_the_arrow_keys(
    page: Any, server: RunningServer
) -> None:
    accepted = submit(server, "Ada Filter", "Filtered talk")
    server.request(
        "PATCH", f"{LIST}/{accepted}", token=server.organizer, json_body={"status": "accepted"}
    )
    submit(server, "Bea Filter", "Still pending")
    sign_in(page, server.organizer, tab="Submissions")
    page.get_by_label("Search speaker or talk").fill("filter")
    page.get_by_label("Status").select_option("accepted")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#subs tr")).to_have_count(1)
    expect(page.locator(f'#subs tr[data-submission-id="{accepted}"] .status')).to_have_text(
        "accepted"
    )

    page.get_by_role("tab", name="Submissions").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="API keys")).to_be_focused()
    expect(page.get_by_role("tab", name="API keys")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Activity")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Submissions")).to_be_focused()
    expect(page.locator("#panel-submissions")).to_be_visible()


def test_the_csv_button_downloads_the_same_bytes_as_the_api(
    page: Any, server: RunningServer
) -> None:
    submit(server, "Csv Speaker", "=cmd|' /C calc'!A0")
    sign_in(page, server.organizer, tab="Submissions")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download CSV").click()
    download = caught.value
    assert download.suggested_filename == "submissions.csv"
    with open(download.path(), "rb") as got:
        body = got.read()
    expected = server.request("GET", "/api/v1/exports/submissions.csv", token=server.organizer)
    assert body == expected.data
    assert b"'=cmd" in body


def test_the_calendar_link_holds_a_new_read_only_key_and_is_shown_once(
    page: Any, server: RunningServer
) -> None:
    talk = submit(server, "Ical Speaker", "On the calendar")
    server.request(
        "PATCH",
        f"{LIST}/{talk}",
        token=server.organizer,
        json_body={"scheduled_date": "2026-04-01"},
    )
    sign_in(page, server.organizer, tab="Submissions")
    page.get_by_role("button", name="Create a calendar subscription link").click()
    page.get_by_role("dialog").get_by_role("button", name="OK").click()
    page.get_by_text("you will not see it again").wait_for()
    link = page.locator("#calendar-link-value").input_value()
    host = server.base_url.removeprefix("http://")
    prefix = f"webcal://{host}/api/v1/exports/schedule.ics?key="
    assert link.startswith(prefix)
    token = link.removeprefix(prefix)
    keys = server.request("GET", "/api/v1/keys?limit=200", token=server.organizer).json()["data"]
    (made,) = [k for k in keys if k["key_id"] == token[:17]]
    assert (made["scopes"], made["mode"]) == (["exports:create"], "live")
    assert token not in page.locator("#calendar-link").inner_text(), "the https form hides the key"

    feed = server.request("GET", f"/api/v1/exports/schedule.ics?key={token}")
    assert feed.status == 200 and b"Ical Speaker" in feed.data
    assert server.request("GET", LIST, token=token).status == 403, "the feed key is read-only"
    page.reload()
    page.get_by_role("heading", name="Submissions", exact=True).wait_for()
    assert token not in page.content()
