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
from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import Connect, bootstrap
from connect.config import Config
from connect.domain.keys import ALL_SCOPES, Scope
from connect.testing import FixedEntropy, ManualClock, Sha256Hasher


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
