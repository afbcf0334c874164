"""Rate-limit headers, the exports policy, request ids and secret-free logs, in process."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import falcon
import falcon.testing
import pytest
from attrs import evolve

from connect.adapters.http import create_app
from connect.adapters.http.routes import ROUTES
from connect.adapters.memory import FixedEntropy, ManualClock, MemoryUnitOfWork, Sha256Hasher
from connect.bootstrap import Connect, bootstrap
from connect.config import Config
from connect.domain.keys import ALL_SCOPES, Scope


class FakeExport:
    """Stands in for the export resources: only their routes' policies matter here."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "id\n"


@pytest.fixture
def connect(clock: ManualClock) -> Iterator[Connect]:
    config = Config(db=":memory:", rate_limit_per_minute=5, export_limit_per_hour=2)
    connect = bootstrap(
        config, MemoryUnitOfWork(), clock=clock, entropy=FixedEntropy(3), hasher=Sha256Hasher()
    )
    yield connect
    connect.close()


@pytest.fixture
def client(connect: Connect) -> falcon.testing.TestClient:
    # NOTE: the exports' rows of the route table, served by a stand-in resource.
    routes = [
        evolve(r, resource=lambda s, d: FakeExport())
        if r.path.startswith("/api/v1/exports/")
        else r
        for r in ROUTES
    ]
    return falcon.testing.TestClient(create_app(connect, routes))


def token(connect: Connect, *scopes: Scope) -> str:
    return connect.keys.create(
        name="t", scopes=frozenset(scopes or ALL_SCOPES), created_by="tests"
    ).token


def test_an_export_counts_against_both_policies_and_shows_the_closer_one(
    connect: Connect, client: falcon.testing.TestClient
) -> None:
    auth = {"Authorization": f"Bearer {token(connect)}"}
    first = client.simulate_get("/api/v1/exports/submissions.csv", headers=auth)
    assert first.status_code == 200
    assert first.headers["RateLimit-Policy"] == '"exports";q=2;w=3600'
    assert first.headers["RateLimit"] == '"exports";r=1;t=3600'
    client.simulate_get("/api/v1/exports/submissions.csv", headers=auth)
    refused = client.simulate_get("/api/v1/exports/submissions.csv", headers=auth)
    assert refused.status_code == 429
    assert refused.json["type"] == "/docs/api#problem-rate-limited-exports"
    assert refused.headers["Retry-After"] == "3600"
    # Two requests counted against per-key (5/min): the refused export counted nowhere.
    other = client.simulate_get("/api/v1/keys", headers=auth)
    assert other.headers["RateLimit"].startswith('"per-key";r=2;')


def test_a_request_id_is_echoed_when_sane_and_made_otherwise(
    connect: Connect, client: falcon.testing.TestClient
) -> None:
    auth = {"Authorization": f"Bearer {token(connect)}"}
    echoed = client.simulate_get("/api/v1/keys", headers={**auth, "X-Request-Id": "abc-123"})
    assert echoed.headers["X-Request-Id"] == "abc-123"
    made = client.simulate_get("/api/v1/keys", headers={**auth, "X-Request-Id": "x" * 500})
    assert made.headers["X-Request-Id"].startswith("req_")
    problem = client.simulate_get("/api/v1/nowhere", headers={"X-Request-Id": "trace.9"})
    assert problem.json["request_id"] == "trace.9"


def test_logs_and_audit_never_hold_a_token_or_the_key_query(
    connect: Connect, client: falcon.testing.TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = token(connect)
    with caplog.at_level(logging.INFO, logger="connect.http"):
        client.simulate_get(f"/api/v1/exports/schedule.ics?key={secret}")
        client.simulate_get("/api/v1/keys", headers={"Authorization": f"Bearer {secret}"})
        client.simulate_get("/api/v1/keys", headers={"Authorization": "Bearer rnc_live_wrong"})
    connect.audit.flush()
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert len(caplog.records) == 3
    assert "/api/v1/exports/schedule.ics 200" in logged
    assert secret not in logged and "rnc_live_wrong" not in logged and "key=" + secret not in logged
    with connect.uow(write=False) as stores:
        rows = stores.audit.list(limit=10)
    assert [r.entry.status_code for r in rows] == [401, 200, 200]
    assert secret not in repr(rows)


def test_the_audit_endpoint_filters_by_key_and_needs_the_organizer_scope(
    connect: Connect, client: falcon.testing.TestClient
) -> None:
    organizer = token(connect)
    reader = token(connect, Scope.SUBMISSIONS_READ)
    client.simulate_get("/api/v1/submissions/7", headers={"Authorization": f"Bearer {reader}"})
    denied = client.simulate_get("/api/v1/audit", headers={"Authorization": f"Bearer {reader}"})
    assert denied.status_code == 403
    connect.audit.flush()
    reader_id = reader[:17]
    page = client.simulate_get(
        "/api/v1/audit", params={"key": reader_id}, headers={"Authorization": f"Bearer {organizer}"}
    )
    assert page.status_code == 200
    assert [(r["endpoint"], r["status_code"], r["key_id"]) for r in page.json["data"]] == [
        ("/api/v1/audit", 403, reader_id),
        ("/api/v1/submissions/{id}", 404, reader_id),
    ]
    assert page.json["next_cursor"] is None
    bad = client.simulate_get(
        "/api/v1/audit",
        params={"until": "yesterday"},
        headers={"Authorization": f"Bearer {organizer}"},
    )
    assert bad.status_code == 422
    for odd in ("²", "9" * 30, "nobody"):
        empty = client.simulate_get(
            "/api/v1/audit", params={"key": odd}, headers={"Authorization": f"Bearer {organizer}"}
        )
        assert (empty.status_code, empty.json["data"]) == (200, [])


def test_limits_set_to_zero_are_off_and_send_no_headers(clock: ManualClock) -> None:
    config = Config(db=":memory:", rate_limit_per_minute=0, form_limit=(0, 900), audit=False)
    connect = bootstrap(config, MemoryUnitOfWork(), clock=clock, hasher=Sha256Hasher())
    client = falcon.testing.TestClient(create_app(connect))
    auth = {"Authorization": f"Bearer {token(connect)}"}
    replies = [client.simulate_get("/api/v1/keys", headers=auth) for _ in range(120)]
    assert {r.status_code for r in replies} == {200}
    assert "RateLimit" not in replies[-1].headers
    assert connect.audit.writer is None
    connect.close()


def test_a_proxy_header_is_ignored_unless_configured(
    connect: Connect, client: falcon.testing.TestClient
) -> None:
    form = {"speakerName": "Ferris", "talkContext": "Traits"}
    for ip in ("198.51.100.1", "198.51.100.2"):
        client.simulate_post("/api/submissions", json=form, headers={"X-Real-IP": ip})
    connect.audit.flush()
    reply = client.simulate_get("/api/v1/keys", headers={"X-Real-IP": "198.51.100.3"})
    assert reply.status_code == 401
    first = client.simulate_post("/api/submissions", json=form)
    assert first.headers["RateLimit"].startswith('"form";r=7;')  # all three from one peer


def test_a_client_whose_keys_keep_failing_is_refused_before_any_key_is_checked(
    clock: ManualClock,
) -> None:
    hasher = Sha256Hasher()
    config = Config(
        db=":memory:", auth_failure_limit=(3, 60), trusted_proxy_header="X-Real-IP", audit=False
    )
    connect = bootstrap(
        config, MemoryUnitOfWork(), clock=clock, entropy=FixedEntropy(5), hasher=hasher
    )
    try:
        client = falcon.testing.TestClient(create_app(connect))
        good = token(connect)
        wrong = good[:17] + ("A" if good[17] != "A" else "B") + good[18:]

        def get(ip: str, key: str | None) -> falcon.testing.Result:
            headers = {"X-Real-IP": ip} | ({"Authorization": f"Bearer {key}"} if key else {})
            return client.simulate_get("/api/v1/submissions", headers=headers)

        # Asking without a key is not a failed attempt.
        assert [get("198.51.100.7", None).status_code for _ in range(5)] == [401] * 5
        assert "RateLimit" not in get("198.51.100.7", None).headers
        failed = [get("198.51.100.7", wrong) for _ in range(3)]
        assert [r.status_code for r in failed] == [401] * 3
        assert [r.headers["RateLimit"][:20] for r in failed] == [
            '"auth-failures";r=2;',
            '"auth-failures";r=1;',
            '"auth-failures";r=0;',
        ]
        checked = hasher.verifications
        refused = get("198.51.100.7", good)
        assert refused.status_code == 429
        assert refused.json["type"] == "/docs/api#problem-rate-limited-auth-failures"
        assert refused.headers["RateLimit-Policy"] == '"auth-failures";q=3;w=60'
        assert refused.headers["Retry-After"] == refused.headers["RateLimit"].rsplit("=", 1)[1]
        assert hasher.verifications == checked, "a refused client's key is not checked"
        assert get("198.51.100.8", good).status_code == 200
    finally:
        connect.close()
