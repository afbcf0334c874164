"""How much the public documents cost per request, against /healthz in the same run.

    .venv/bin/python bench/docs_pages.py

Prints the median time of each GET (in-process Falcon test client, memory storage) and
its ratio to GET /healthz. The pages are built once at start-up, so each should cost a
small multiple of /healthz, dominated by the bytes sent.
"""

from __future__ import annotations

import statistics
import time

import falcon.testing

from connect.adapters.http import create_app
from connect.bootstrap import Connect

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
    connect = Connect.in_memory()
    client = falcon.testing.TestClient(create_app(connect))
    etag = client.simulate_get("/openapi.json").headers["etag"]
    cases = {
        "/healthz": ("/healthz", {}),
        "/openapi.json": ("/openapi.json", {}),
        "/openapi.json (304)": ("/openapi.json", {"If-None-Match": etag}),
        "/docs/api": ("/docs/api", {}),
        "/admin": ("/admin", {}),
        "/ (HTML)": ("/", {}),
        "/ (JSON)": ("/", {"Accept": "application/json"}),
    }
    timings = {name: median_ms(client, path, headers) for name, (path, headers) in cases.items()}
    baseline = timings["/healthz"]
    print(f"{'GET':24} {'median ms':>10} {'x /healthz':>11}")
    for name, ms in timings.items():
        print(f"{name:24} {ms:10.3f} {ms / baseline:11.2f}")
    connect.close()


if __name__ == "__main__":
    main()
