"""Reviewing talks over HTTP: search the list, and move talks along the lifecycle."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from tests.e2e.server import RunningServer

LIST = "/api/v1/submissions"


def create(server: RunningServer, token: str, speaker: str, talk: str) -> dict:
    body = {"speaker_name": speaker, "talk_context": talk}
    reply = server.request("POST", LIST, token=token, json_body=body)
    assert reply.status == 201
    return reply.json()


def test_q_finds_speakers_and_talks_ignoring_case_and_pages_with_the_link(
    server: RunningServer,
) -> None:
    token = server.key("submissions:read", "submissions:write")
    emile = create(server, token, "Émile", "Parsers in Rust")
    create(server, token, "Corro", "Unsafe, safely")
    rusty = [create(server, token, f"Speaker {i}", f"More RUST, part {i}") for i in range(3)]

    first = server.request("GET", f"{LIST}?q=rust&limit=2", token=token)
    assert [s["id"] for s in first.json()["data"]] == [rusty[2]["id"], rusty[1]["id"]]
    link = first.headers["Link"]
    assert "q=rust" in link
    next_url = urlsplit(link.split(";")[0].strip("<>"))
    second = server.request("GET", f"{next_url.path}?{next_url.query}", token=token).json()
    assert [s["id"] for s in second["data"]] == [rusty[0]["id"], emile["id"]]
    assert second["next_cursor"] is None

    by_name = server.request("GET", f"{LIST}?q={quote('ÉMILE')}", token=token).json()["data"]
    assert [s["id"] for s in by_name] == [emile["id"]]
    pending = server.request("GET", f"{LIST}?q=corro&status=declined", token=token).json()
    assert pending["data"] == []


def test_a_test_key_never_finds_live_talks(server: RunningServer) -> None:
    live = server.key("submissions:read", "submissions:write")
    create(server, live, "Ferris", "Live talk")
    sandbox = server.key("submissions:read", "submissions:write", mode="test")
    mine = create(server, sandbox, "Ferris", "Sandbox talk")
    found = server.request("GET", f"{LIST}?q=ferris", token=sandbox).json()["data"]
    assert [s["id"] for s in found] == [mine["id"]]


def test_a_talk_answers_with_its_legal_moves_and_an_illegal_one_is_refused_unchanged(
    server: RunningServer,
) -> None:
    token = server.key("submissions:read", "submissions:write")
    talk = create(server, token, "Ferris", "Lifecycles")
    assert talk["allowed_transitions"] == [
        "reviewing",
        "accepted",
        "waitlist",
        "declined",
        "scheduled",
    ]
    declined = server.request(
        "PATCH", f"{LIST}/{talk['id']}", token=token, json_body={"status": "declined"}
    ).json()
    assert declined["allowed_transitions"] == ["reviewing"]

    refused = server.request(
        "PATCH", f"{LIST}/{talk['id']}", token=token, json_body={"scheduled_date": "2026-03-18"}
    )
    assert refused.status == 422
    problem = refused.json()
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert problem["errors"][0]["field"] == "scheduled_date"
    assert "allowed: reviewing" in problem["errors"][0]["message"]
    after = server.request("GET", f"{LIST}/{talk['id']}", token=token).json()
    assert (after["status"], after["scheduled_date"]) == ("declined", None)
    assert after["updated_at"] == declined["updated_at"]

    server.request("PATCH", f"{LIST}/{talk['id']}", token=token, json_body={"status": "reviewing"})
    scheduled = server.request(
        "PATCH", f"{LIST}/{talk['id']}", token=token, json_body={"scheduled_date": "2026-03-18"}
    ).json()
    assert (scheduled["status"], scheduled["scheduled_date"]) == ("scheduled", "2026-03-18")
    assert scheduled["allowed_transitions"] == ["accepted", "waitlist", "declined", "scheduled"]
