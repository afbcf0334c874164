"""A throw-away PostgreSQL cluster for tests and benchmarks, started with ``pg_ctl``.

Debian's ``postgresql`` package puts its programs in ``/usr/lib/postgresql/<v>/bin``
(not on ``PATH``). ``initdb`` refuses to run as root, so under root the cluster belongs
to the ``postgres`` user the package creates and its programs run through ``runuser``.
The cluster listens on a free loopback port only (no Unix socket), trusts local
connections, and is deleted when stopped.

``CONNECT_TEST_POSTGRES_URL`` points the tests at a server of your own instead (a
database the tests may create and drop databases in).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

# NOTE: the tests never need durability; benchmarks pass their own settings.
FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def find_bin() -> Path | None:
    """The directory holding ``pg_ctl`` and ``initdb`` (the newest version), or ``None``."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One ``initdb``-made cluster on ``127.0.0.1:<port>``, superuser ``postgres``.

    Args:
        settings: ``name=value`` server settings (``postgresql.conf``).
    """

    def __init__(self, bin_dir: Path, settings: Sequence[str] = FAST) -> None:
        self.bin = bin_dir
        self.port = free_port()
        self.settings = tuple(settings)
        self._root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="connect-pg-"))
        self.data = self.dir / "data"

    @property
    def url(self) -> str:
        """The URL of the ``postgres`` database as the superuser."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> Cluster:
        if self._root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            "-c unix_socket_directories=''",
            "-c max_connections=300",
            *(f"-c {s}" for s in self.settings),
        ]
        log = self.dir / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "60",
                  "-o", " ".join(options), "start")  # fmt: skip
        return self

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def with_database(url: str, database: str) -> str:
    """``url`` with its database replaced by ``database``."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def create_database(admin_url: str, name: str) -> None:
    """Create an empty database ``name`` (dropping one left behind)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
