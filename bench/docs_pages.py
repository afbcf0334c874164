"""How much the public documents cost per request, against /healthz in the same run.

    .venv/bin/python bench/docs_pages.py

Prints the median time of each GET (in-process Falcon test client, memory storage) and
its ratio to GET /healthz, also for the data calls of /admin's Submissions tab (200
submissions, the per-key limit off). The pages are built once at start-up, so each should cost a
small multiple of /healthz, dominated by the bytes sent.
"""

from __future__ import annotations

import statistics
import time

import falcon.testing

from connect.adapters.http import create_app
from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.domain.requests.submissions import SubmissionFields

ROUNDS = 300


def median_ms(client: falcon.testing.TestClient, path: str, headers: dict[str, str]) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        reply = client.simulate_get(path, headers=headers)
        samples.append(time.perf_counter() - start)
        assert reply.status_code in (200, 304), (path, reply.status)
    return statistics.median(samples) * 1000


def main() -> None:
    # NOTE: the per-key limit off: the tab's calls below would be 429s after 100.
    connect = Connect.in_memory(Config(db=":memory:", rate_limit_per_minute=0))
    client = falcon.testing.TestClient(create_app(connect))
    token = connect.keys.create(name="bench", scopes=ALL_SCOPES, created_by="bench").token
    for i in range(200):
        connect.submissions.submit_form(
            SubmissionFields(speaker_name=f"Speaker {i}", talk_context="A talk about Rust " * 8)
        )
    auth = {"Authorization": f"Bearer {token}"}
    etag = client.simulate_get("/openapi.json").headers["etag"]
    cases = {
        "/healthz": ("/healthz", {}),
        "/openapi.json": ("/openapi.json", {}),
        "/openapi.json (304)": ("/openapi.json", {"If-None-Match": etag}),
        "/docs/api": ("/docs/api", {}),
        "/admin": ("/admin", {}),
        "/ (HTML)": ("/", {}),
        "/ (JSON)": ("/", {"Accept": "application/json"}),
        # NOTE: the data calls of /admin's Submissions tab (list, search, detail).
        "tab: list": ("/api/v1/submissions?limit=50", auth),
        "tab: search": ("/api/v1/submissions?limit=50&q=speaker%2019", auth),
        "tab: detail": ("/api/v1/submissions/7", auth),
        "tab: schedule": ("/api/v1/schedule", auth),
    }
    timings = {name: median_ms(client, path, headers) for name, (path, headers) in cases.items()}
    baseline = timings["/healthz"]
    print(f"{'GET':24} {'median ms':>10} {'x /healthz':>11}")
    for name, ms in timings.items():
        print(f"{name:24} {ms:10.3f} {ms / baseline:11.2f}")
    connect.close()


if __name__ == "__main__":
    main()
