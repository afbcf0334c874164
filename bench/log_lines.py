"""What escaping costs on the request log line: Connect's text and JSON formatters
(every field through ``escape_controls``) next to the same formatters with escaping
replaced by the identity (the baseline: the formatters as they were), in the same run.

    .venv/bin/python -m bench.log_lines [--lines 50000]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable

from connect.entrypoints import logs
from connect.entrypoints.logs import JsonFormatter, TextFormatter


def record(hostile: bool) -> logging.LogRecord:
    ip = "fe80::1%\x1b[2J\r\nforged" if hostile else "127.0.0.1"
    fields = {
        "method": "GET",
        "route": "/api/v1/submissions/{id}",
        "status": 200,
        "duration_ms": 1.12,
        "key_id": "rnc_live_fvC1N8Bs",
        "request_id": "req_e86e082c3c3f30dd",
        "client_ip": ip,
    }
    message = f"GET /api/v1/submissions/{{id}} 200 1.12ms key=rnc_live_fvC1N8Bs ip={ip}"
    made = logging.LogRecord("connect.http", logging.INFO, "", 0, message, (), None)
    made.__dict__["fields"] = fields
    return made


def per_line(
    format_one: Callable[[logging.LogRecord], str], rec: logging.LogRecord, n: int
) -> float:
    started = time.perf_counter()
    for _ in range(n):
        format_one(rec)
    return (time.perf_counter() - started) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=50_000)
    n = parser.parse_args().lines
    for hostile in (False, True):
        rec = record(hostile)
        best: dict[str, float] = {}
        # NOTE: interleaved rounds and the best of each: a shared machine is noisy.
        for _ in range(5):
            for escaped in (True, False):
                escape = logs.escape_controls
                if not escaped:
                    logs.escape_controls = lambda text: text  # the baseline
                try:
                    for name, formatter in (("text", TextFormatter()), ("json", JsonFormatter())):
                        took = per_line(formatter.format, rec, n)
                        key = f"{name} {escaped}"
                        best[key] = min(best.get(key, took), took)
                finally:
                    logs.escape_controls = escape
        kind = "hostile client_ip" if hostile else "ordinary request"
        for name in ("text", "json"):
            ours, base = best[f"{name} True"], best[f"{name} False"]
            print(f"{kind}: {name} {ours:.2f} us/line = {ours / base:.2f}x without escaping")


if __name__ == "__main__":
    main()
