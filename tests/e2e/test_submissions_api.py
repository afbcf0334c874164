"""Submissions over HTTP: the form, create, update, read, paginate, schedule."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from connect.domain.submission_query import SubmissionQuery
from tests.e2e.server import RunningServer

LIST = "/api/v1/submissions"
FIELDS = {
    "id",
    "speaker_name",
    "talk_context",
    "is_on_behalf",
    "submitter_name",
    "discord_channel_id",
    "discord_invite_link",
    "status",
    "scheduled_date",
    "mode",
    "created_at",
    "updated_at",
}


def count_rows(server: RunningServer) -> int:
    with server.connect.uow(write=False) as stores:
        return len(
            stores.submissions.list(SubmissionQuery(__import__("connect").Mode.LIVE), limit=10_000)
        ) + len(
            stores.submissions.list(SubmissionQuery(__import__("connect").Mode.TEST), limit=10_000)
        )


def test_the_speakers_form_answers_like_the_original_app(server: RunningServer) -> None:
    reply = server.request(
        "POST",
        "/api/submissions",
        json_body={
            "speakerName": "Ann",
            "talkContext": "Async Rust",
            "isOnBehalf": True,
            "submitterName": "Bo",
        },
    )
    assert reply.status == 201
    body = reply.json()
    assert body["success"] is True and isinstance(body["submissionId"], int)
    assert "discordInviteLink" in body
    stored = server.request("GET", f"{LIST}/{body['submissionId']}", token=server.organizer).json()
    assert set(stored) >= FIELDS
    assert (stored["speaker_name"], stored["submitter_name"], stored["is_on_behalf"]) == (
        "Ann",
        "Bo",
        True,
    )
    assert stored["created_at"].endswith("Z") and stored["status"] == "pending"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/submissions", b"{not json", 400),
        ("/api/submissions", b"", 400),
        ("/api/submissions", b"[1, 2]", 422),
        ("/api/submissions", json.dumps({"speakerName": "", "talkContext": "x"}).encode(), 422),
        (
            "/api/submissions",
            json.dumps({"speakerName": "x" * 121, "talkContext": "x"}).encode(),
            422,
        ),
        (
            "/api/submissions",
            json.dumps({"speakerName": "A", "talkContext": "x" * 8001}).encode(),
            422,
        ),
        (
            "/api/submissions",
            json.dumps({"speakerName": "A", "talkContext": "x", "isOnBehalf": True}).encode(),
            422,
        ),
        (
            "/api/submissions",
            json.dumps({"speakerName": 5, "talkContext": ["x"], "isOnBehalf": "yes"}).encode(),
            422,
        ),
        ("/api/submissions", b"\xff\xfe\x00garbage", 400),
        (LIST, json.dumps({"speaker_name": "A"}).encode(), 422),
        (
            LIST,
            json.dumps(
                {"speaker_name": "A", "talk_context": "B", "discord_invite_link": "http://x"}
            ).encode(),
            422,
        ),
    ],
)
def test_bad_input_gets_its_documented_status_and_nothing_is_stored(
    server: RunningServer, path: str, body: bytes, status: int
) -> None:
    reply = server.request(
        "POST",
        path,
        body=body,
        token=server.organizer,
        headers={"Content-Type": "application/json"},
    )
    assert reply.status == status, reply
    assert reply.headers["Content-Type"] == "application/problem+json"
    problem = reply.json()
    assert problem["status"] == status and problem["detail"]
    if status == 422 and body.startswith(b"{"):
        assert problem["errors"] and all({"field", "message"} <= set(e) for e in problem["errors"])
    assert count_rows(server) == 0


def test_a_body_over_one_mebibyte_is_413_and_stores_nothing(server: RunningServer) -> None:
    big = json.dumps({"speakerName": "A", "talkContext": "x" * (1024 * 1024)}).encode()
    reply = server.request("POST", "/api/submissions", body=big)
    assert reply.status == 413 and reply.json()["status"] == 413
    assert count_rows(server) == 0


def test_unknown_routes_and_methods_are_problems(server: RunningServer) -> None:
    missing = server.request("GET", "/api/v1/nothing", token=server.organizer)
    assert (missing.status, missing.headers["Content-Type"]) == (404, "application/problem+json")
    assert server.request("GET", f"{LIST}/abc", token=server.organizer).status == 404
    assert (
        server.request("GET", f"{LIST}/99999999999999999999999", token=server.organizer).status
        == 404
    )
    wrong = server.request("DELETE", LIST, token=server.organizer)
    assert wrong.status == 405 and wrong.json()["status"] == 405 and "Allow" in wrong.headers


def test_patch_schedules_a_talk_and_the_schedule_lists_it(server: RunningServer) -> None:
    token = server.key("submissions:read", "submissions:write")
    first = server.request(
        "POST", LIST, token=token, json_body={"speaker_name": "A", "talk_context": "one"}
    ).json()
    second = server.request(
        "POST", LIST, token=token, json_body={"speaker_name": "B", "talk_context": "two"}
    ).json()
    server.request(
        "PATCH", f"{LIST}/{first['id']}", token=token, json_body={"scheduled_date": "2026-05-20"}
    )
    patched = server.request(
        "PATCH", f"{LIST}/{second['id']}", token=token, json_body={"scheduled_date": "2026-04-15"}
    )
    assert patched.status == 200 and patched.json()["status"] == "scheduled"
    schedule = server.request("GET", "/api/v1/schedule", token=token).json()
    assert [t["id"] for t in schedule["data"]] == [second["id"], first["id"]]
    bad = server.request(
        "PATCH", f"{LIST}/{first['id']}", token=token, json_body={"scheduled_date": "soon"}
    )
    assert bad.status == 422 and bad.json()["errors"][0]["field"] == "scheduled_date"
    assert (
        server.request("GET", f"{LIST}/{first['id']}", token=token).json()["scheduled_date"]
        == "2026-05-20"
    )


def test_pages_follow_next_cursor_and_link_without_repeats(server: RunningServer) -> None:
    token = server.key("submissions:read", "submissions:write")
    made = [
        server.request(
            "POST", LIST, token=token, json_body={"speaker_name": f"S{i}", "talk_context": "x"}
        ).json()["id"]
        for i in range(7)
    ]
    seen: list[int] = []
    path = f"{LIST}?limit=3"
    while True:
        reply = server.request("GET", path, token=token)
        body = reply.json()
        seen.extend(s["id"] for s in body["data"])
        if body["next_cursor"] is None:
            assert "Link" not in reply.headers
            break
        link = reply.headers["Link"]
        assert 'rel="next"' in link or "rel=next" in link
        url = link[link.index("<") + 1 : link.index(">")]
        path = urlsplit(url).path + "?" + urlsplit(url).query
        # a row inserted between pages does not disturb the walk
        server.request(
            "POST", LIST, token=token, json_body={"speaker_name": "late", "talk_context": "x"}
        )
    assert seen == sorted(made, reverse=True)


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "limit=ten",
        "cursor=zzz",
        "status=lost",
        "since=yesterday",
        "q=" + "x" * 201,
    ],
)
def test_bad_list_parameters_are_422(server: RunningServer, query: str) -> None:
    reply = server.request("GET", f"{LIST}?{query}", token=server.organizer)
    assert reply.status == 422
    assert reply.json()["errors"][0]["field"] == query.split("=")[0]


def test_status_and_since_filter_the_list(server: RunningServer) -> None:
    token = server.key("submissions:read", "submissions:write")
    a = server.request(
        "POST", LIST, token=token, json_body={"speaker_name": "A", "talk_context": "x"}
    ).json()
    server.request("POST", LIST, token=token, json_body={"speaker_name": "B", "talk_context": "x"})
    server.request("PATCH", f"{LIST}/{a['id']}", token=token, json_body={"status": "accepted"})
    accepted = server.request("GET", f"{LIST}?status=accepted", token=token).json()["data"]
    assert [s["id"] for s in accepted] == [a["id"]]
    assert server.request("GET", f"{LIST}?since=2999-01-01", token=token).json()["data"] == []


def test_a_create_retried_with_its_idempotency_key_is_stored_once(server: RunningServer) -> None:
    token = server.key("submissions:read", "submissions:write")
    before = count_rows(server)
    talk = {"speaker_name": "Ferris", "talk_context": "Retries, safely"}
    key = {"Idempotency-Key": '"8e03978e-40d5-43e8-bc93-6894a57f9324"'}
    first = server.request("POST", LIST, token=token, json_body=talk, headers=key)
    again = server.request("POST", LIST, token=token, json_body=talk, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count_rows(server) == before + 1

    reused = server.request(
        "POST", LIST, token=token, json_body={**talk, "talk_context": "Other"}, headers=key
    )
    assert reused.status == 422
    assert reused.json()["type"] == "/docs/api#problem-idempotency-key-reused"
    bad = server.request(
        "POST", LIST, token=token, json_body=talk, headers={"Idempotency-Key": "two words"}
    )
    assert bad.status == 400
    assert bad.json()["type"] == "/docs/api#problem-idempotency-key-invalid"
    assert count_rows(server) == before + 1
