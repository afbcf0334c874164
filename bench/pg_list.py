"""The authenticated list (``GET /api/v1/submissions?limit=50``) served from PostgreSQL
and from SQLite, driven alternately by ``wrk`` (bench.api_list's method); part of
bench.pg_scale."""

from __future__ import annotations

import argparse
import sys

from bench import wrk
from bench.cpu import Cpu
from bench.load import Server
from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.domain.requests.submissions import SubmissionFields

SERVE = [sys.executable, "-m", "connect.entrypoints.cli", "serve", "--no-worker", "--port", "0"]


def seed_list(env: dict[str, str], rows: int = 200) -> str:
    """``rows`` submissions and an organizer key in ``CONNECT_DB``; returns its token."""
    connect = Connect.open(Config.from_env(env))
    try:
        token = connect.keys.create(name="bench", scopes=ALL_SCOPES, created_by="bench").token
        for i in range(rows):
            connect.submissions.submit_form(
                SubmissionFields(speaker_name=f"Speaker {i}", talk_context="A talk about Rust " * 8)
            )
    finally:
        connect.close()
    return token


def list_rates(
    envs: dict[str, dict[str, str]], args: argparse.Namespace, postmaster: int
) -> tuple[dict[str, wrk.WrkResult], dict[str, float]]:
    """The authenticated list served with each environment (its ``CONNECT_DB``), rounds
    alternating (as bench.api_list), and PostgreSQL's own CPU seconds during each
    PostgreSQL server's rounds. Unless an environment says otherwise, as bench.api_list:
    audit on, the per-key rate limit counted on every request but never refusing."""
    servers, tokens = {}, {}
    pg_cpu = dict.fromkeys(envs, 0.0)
    try:
        for label, given in envs.items():
            env = {"CONNECT_AUDIT": "on", "CONNECT_RATE_LIMIT_PER_MINUTE": "100000000", **given}
            tokens[label] = seed_list(env)
            servers[label] = Server(SERVE, env)
        results: dict[str, wrk.WrkResult] = {}
        for round in range(args.rounds):
            order = list(servers.items())
            for label, server in order if round % 2 == 0 else reversed(order):
                on_postgres = envs[label]["CONNECT_DB"].startswith("postgresql://")
                cpu = Cpu({}, postmaster if on_postgres else None)
                got = wrk.drive(
                    server.process.pid,
                    server.host,
                    server.port,
                    "/api/v1/submissions?limit=50",
                    {"Authorization": f"Bearer {tokens[label]}"},
                    seconds=args.seconds / args.rounds,
                )
                pg_cpu[label] += cpu.used().get("postgres", 0.0)
                results[label] = results[label].merge(got) if label in results else got
        return results, pg_cpu
    finally:
        for server in servers.values():
            server.stop()
