"""Behind a reverse proxy: waitress takes the client address from X-Forwarded-For
only on connections from the trusted proxy, so the limits count the real client there
and a client that reaches Connect directly cannot pick its own address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3

from connect.config import Config
from tests.e2e.proxy import ForwardingProxy
from tests.e2e.server import Reply, RunningServer

FORM = {"speakerName": "Ferris", "talkContext": "Pinning, gently"}
PROXY_ADDRESS = "127.0.0.2"


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[tuple[RunningServer, ForwardingProxy]]:
    config = Config(form_limit=(2, 900), trusted_proxy=PROXY_ADDRESS)
    server = RunningServer(tmp_path / "connect.db", config)
    proxy = ForwardingProxy(("127.0.0.1", server.port), source=PROXY_ADDRESS)
    yield server, proxy
    proxy.close()
    server.close()


def through(proxy: ForwardingProxy, client: str, headers: dict[str, str] | None = None) -> Reply:
    """POST the form through the proxy, connecting from ``client``."""
    with urllib3.HTTPConnectionPool(
        "127.0.0.1", proxy.port, retries=False, timeout=30, source_address=(client, 0)
    ) as pool:
        return Reply(pool.request("POST", "/api/submissions", json=FORM, headers=headers or {}))


def test_through_the_proxy_the_form_limit_counts_each_forwarded_client(
    behind_proxy: tuple[RunningServer, ForwardingProxy],
) -> None:
    _, proxy = behind_proxy
    first = [through(proxy, "127.0.0.11").status for _ in range(3)]
    second = [through(proxy, "127.0.0.12").status for _ in range(2)]
    assert first == [201, 201, 429]
    assert second == [201, 201], "another client behind the same proxy has its own quota"
    # A client that sends its own X-Forwarded-For through the proxy still counts as
    # itself: the proxy appends the real address and waitress reads the last one.
    spoofed = through(proxy, "127.0.0.11", {"X-Forwarded-For": "198.51.100.77"})
    assert spoofed.status == 429
    assert proxy.forwarded == 6


def test_directly_a_spoofed_forwarded_for_is_ignored(
    behind_proxy: tuple[RunningServer, ForwardingProxy],
) -> None:
    server, _ = behind_proxy
    statuses = [
        server.request(
            "POST",
            "/api/submissions",
            json_body=FORM,
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            source="127.0.0.13",
        ).status
        for n in range(3)
    ]
    assert statuses == [201, 201, 429], "three spoofed addresses, one real client"


def test_the_audit_log_records_the_forwarded_client(
    behind_proxy: tuple[RunningServer, ForwardingProxy],
) -> None:
    server, proxy = behind_proxy
    with urllib3.HTTPConnectionPool(
        "127.0.0.1", proxy.port, retries=False, timeout=30, source_address=("127.0.0.14", 0)
    ) as pool:
        reply = pool.request(
            "GET", "/api/v1/keys", headers={"Authorization": f"Bearer {server.organizer}"}
        )
    assert reply.status == 200
    assert server.connect.audit.flush()
    page = server.request("GET", "/api/v1/audit", token=server.organizer).json()
    assert [(r["endpoint"], r["ip_address"]) for r in page["data"]] == [
        ("/api/v1/keys", "127.0.0.14")
    ]
