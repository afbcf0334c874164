"""The Rust NYC site's own frontend against the real server: it posts the speakers'
form and, on failure, shows ``result.error`` or else "Failed to submit". Whatever goes
wrong, the speaker reads a sentence that says what, never the generic fallback."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connect.config import Config
from tests.e2e.server import RunningServer
from tests.e2e.test_waitress_problems import answer, post

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 10_000
FORM_LIMIT = 3

# The frontend's reading, as it is written there: the JSON of any answer, its `error`,
# else a generic sentence.
READ_RESULT = """([body, contentType]) =>
  fetch("/api/submissions", {
    method: "POST",
    headers: { "Content-Type": contentType },
    body,
  })
    .then((r) => r.json())
    .then((result) => (result.success ? "Submitted" : result.error || "Failed to submit"))
    .catch(() => "Failed to submit")"""

# A page like the site's: the same four fields, posted as JSON, the answer read as above.
FRONTEND = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Submit a talk</title></head>
<body><form id="talk">
<label>Speaker name <input name="speakerName"></label>
<label>Talk context <textarea name="talkContext"></textarea></label>
<label><input type="checkbox" name="isOnBehalf"> On behalf of someone else</label>
<label>Your name <input name="submitterName"></label>
<button>Submit</button>
</form>
<p role="status" id="result"></p>
<script>
const readResult = {READ_RESULT};
document.getElementById("talk").addEventListener("submit", (event) => {{
  event.preventDefault();
  const form = new FormData(event.target);
  const body = JSON.stringify({{
    speakerName: form.get("speakerName"),
    talkContext: form.get("talkContext"),
    isOnBehalf: form.get("isOnBehalf") === "on",
    submitterName: form.get("submitterName") || undefined,
  }});
  readResult([body, "application/json"]).then((text) => {{
    document.getElementById("result").textContent = text;
  }});
}});
</script></body></html>"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = RunningServer(tmp_path / "connect.db", Config(form_limit=(FORM_LIMIT, 900)))
    yield running
    running.close()


@pytest.fixture
def page(browser: Any, server: RunningServer) -> Iterator[Any]:
    """The frontend, served from the server's origin (as the site and Connect share one
    behind its proxy); everything else the page asks for goes to the real server."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    opened.route(
        server.base_url + "/submit-a-talk",
        lambda route: route.fulfill(status=200, content_type="text/html", body=FRONTEND),
    )
    opened.goto(server.base_url + "/submit-a-talk")
    yield opened
    context.close()


def submit(page: Any, speaker: str, context: str, *, on_behalf_of: str | None = None) -> str:
    page.get_by_label("Speaker name").fill(speaker)
    page.get_by_label("Talk context").fill(context)
    page.get_by_label("On behalf of someone else").set_checked(on_behalf_of is not None)
    page.get_by_label("Your name").fill(on_behalf_of or "")
    page.locator("#result").evaluate("node => { node.textContent = '' }")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_function("document.getElementById('result').textContent !== ''")
    return str(page.locator("#result").text_content())


def stored(server: RunningServer) -> list[dict[str, Any]]:
    reply = server.request("GET", "/api/v1/submissions", token=server.organizer)
    return list(reply.json()["data"])


def test_the_frontend_shows_what_is_wrong_with_the_form_and_stores_nothing(
    page: Any, server: RunningServer
) -> None:
    shown = submit(page, "   ", "Zero-copy parsing", on_behalf_of="")
    assert shown == "Speaker name must not be blank. Submitter name is required."
    assert stored(server) == []

    assert submit(page, "Ferris", "Zero-copy parsing") == "Submitted"
    assert [s["speaker_name"] for s in stored(server)] == ["Ferris"]


def test_the_frontend_tells_a_rate_limited_speaker_how_long_to_wait(
    page: Any, server: RunningServer
) -> None:
    for number in range(FORM_LIMIT):
        assert submit(page, f"Speaker {number}", "Lifetimes") == "Submitted"
    shown = submit(page, "One more", "Lifetimes")
    assert shown == (
        "Too many submissions from your address in a short time; please try again in 15 minutes."
    )
    assert len(stored(server)) == FORM_LIMIT


@pytest.mark.parametrize(
    ("body", "content_type", "shown"),
    [
        ("{", "application/json", "The body is not valid JSON"),
        ('{"speakerName": "Ferris"}', "text/plain", "Talk context is required."),
        ("x" * (1024 * 1024 + 10), "application/json", "The request body is over 1048576 bytes."),
        ('{"speakerName": "A", "talkContxt": "B"}', "application/json", "'talkContxt' is not"),
    ],
    ids=["malformed", "another-type", "too-large", "misspelt"],
)
def test_the_frontends_reading_of_any_problem_is_its_error_sentence(
    page: Any, body: str, content_type: str, shown: str
) -> None:
    text = page.evaluate(READ_RESULT, [body, content_type])
    assert text.startswith(shown) and text != "Failed to submit"


def test_waitress_own_problems_on_the_form_carry_error_too(server: RunningServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(post("/api/submissions", {"Content-Length": str(50 * 1024 * 1024)}))
        too_large = answer(sock)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(post("/api/submissions", {"Transfer-Encoding": "chunked"}, b"zz\r\n"))
        bad_chunk = answer(sock)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(post("/api/v1/submissions", {"Content-Length": str(50 * 1024 * 1024)}))
        elsewhere = answer(sock)
    assert too_large.status == 413
    assert json.loads(too_large.body)["error"] == "The request body is over 1048576 bytes."
    assert bad_chunk.status == 400
    assert json.loads(bad_chunk.body)["error"].startswith("Invalid chunk")
    assert elsewhere.status == 413 and "error" not in json.loads(elsewhere.body)
