"""What one delivery claim costs on PostgreSQL as the backlog grows.

    .venv/bin/python bench/pg_claims.py [--backlogs 1000,10000,100000] [--claims 30]

For each backlog, that many due deliveries spread over 20 webhooks are written to a
fresh database on a throw-away cluster (tests/postgres_cluster.py, fsync off: this
measures the query, not the disk), then a worker-sized claim (64 deliveries, 4 per
webhook) is timed repeatedly, each claim given back before the next. Prints p50/p90 per
backlog and the ratio to the smallest backlog: a claim that scans the backlog grows
with it; one that reads each webhook's oldest rows in index order stays flat.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.postgres_cluster import Cluster, create_database, find_bin, with_database

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.postgres import PostgresUnitOfWork

WEBHOOKS = 20


def fill(url: str, backlog: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO api_keys_1 (key_id, key_hash, name, scopes, created_by, created_at)"
            " VALUES ('rnc_live_bench', 'x', 'bench', '[]', 'bench', now())"
        )
        conn.execute(
            "INSERT INTO webhooks_1 (url, events, secret, api_key_id, created_at)"
            " SELECT 'https://receiver.example/' || g, '[]', 'sealed', 1, now()"
            " FROM generate_series(1, %s) g",
            [WEBHOOKS],
        )
        conn.execute(
            "INSERT INTO webhook_deliveries_1 (webhook_id, event_id, event, payload, status,"
            " next_attempt_at, created_at, updated_at)"
            " SELECT 1 + g %% %s, 'evt_' || g, 'submission.created', '{}', 'pending',"
            " now() - interval '1 minute', now(), now() FROM generate_series(1, %s) g",
            [WEBHOOKS, backlog],
        )
        conn.execute("ANALYZE")


def claim_times(url: str, claims: int) -> list[float]:
    uow = PostgresUnitOfWork(url, secret_box=AeadSecretBox.ephemeral())
    now = datetime.now(UTC)
    times = []
    try:
        for _ in range(claims):
            started = time.perf_counter()
            with uow() as stores:
                got = stores.deliveries.claim(
                    now, owner="bench", lease_until=now + timedelta(minutes=1), limit=64,
                    per_webhook=4,
                )  # fmt: skip
            times.append(time.perf_counter() - started)
            assert len(got) == min(64, WEBHOOKS * 4), len(got)
            with uow() as stores:
                for delivery in got:
                    stores.deliveries.release(delivery.id, "bench", now - timedelta(minutes=2))
    finally:
        uow.close()
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backlogs", default="1000,10000,100000")
    parser.add_argument("--claims", type=int, default=30)
    args = parser.parse_args()
    backlogs = [int(b) for b in args.backlogs.split(",")]
    bin_dir = find_bin()
    if bin_dir is None:
        sys.exit("needs PostgreSQL's programs (Debian: apt-get install postgresql)")
    rows = []
    with Cluster(bin_dir, settings=("fsync=off",)) as cluster:
        for backlog in backlogs:
            name = f"claims_{backlog}"
            create_database(cluster.url, name)
            url = with_database(cluster.url, name)
            PostgresUnitOfWork(url).migrate()
            fill(url, backlog)
            times = claim_times(url, args.claims)
            rows.append((backlog, times[len(times) // 2], times[int(len(times) * 0.9)]))
    base = rows[0][1]
    print(f"{'backlog':>8} {'p50 ms':>8} {'p90 ms':>8} {'p50 vs first':>13}")
    for backlog, p50, p90 in rows:
        print(f"{backlog:>8} {p50 * 1000:>8.1f} {p90 * 1000:>8.1f} {p50 / base:>12.2f}x")


if __name__ == "__main__":
    main()
