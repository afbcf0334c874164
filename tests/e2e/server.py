"""The real server for end-to-end tests: waitress on a free loopback port, SQLite file;
or ``connect serve`` and ``connect worker`` as processes of their own, on any database."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import urllib3

from connect.adapters.http import create_app
from connect.adapters.http.server import create_server
from connect.adapters.system.worker import DeliveryWorker
from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.entrypoints.serve import proxy_options
from connect.ports.system import Clock
from connect.testing import wait_until


class Reply:
    """An HTTP response, read whole."""

    def __init__(self, response: urllib3.BaseHTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.data = response.data

    def json(self) -> Any:
        return json.loads(self.data)

    @property
    def text(self) -> str:
        return self.data.decode()

    def __repr__(self) -> str:
        return f"<Reply {self.status} {self.data[:300]!r}>"


class Client:
    """Requests to a server at ``base_url``, as its organizer or with keys it makes."""

    base_url: str
    port: int
    organizer: str
    http: urllib3.PoolManager

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> Reply:
        """One request; ``source`` is a loopback address to connect from (any of
        127.0.0.0/8 works on Linux), so tests can be several clients."""
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent.setdefault("Content-Type", "application/json")
        if source is None:
            return Reply(self.http.request(method, self.base_url + path, body=body, headers=sent))
        with urllib3.HTTPConnectionPool(
            "127.0.0.1", self.port, retries=False, timeout=30, source_address=(source, 0)
        ) as pool:
            return Reply(pool.request(method, path, body=body, headers=sent))

    def key(self, *scopes: str, mode: str = "live", name: str = "integration") -> str:
        """A new token with the given scopes, made through the API by the organizer."""
        reply = self.request(
            "POST",
            "/api/v1/keys",
            token=self.organizer,
            json_body={"name": name, "scopes": list(scopes), "mode": mode},
        )
        assert reply.status == 201, reply
        return str(reply.json()["token"])


class RunningServer(Client):
    """``Connect.open`` on a file, served by waitress in a thread on 127.0.0.1:0; on
    ``clock`` (e.g. ``connect.testing.ManualClock``) if given."""

    worker: DeliveryWorker | None = None  # the embedded worker, when a test starts one

    def __init__(
        self, db: Path, config: Config | None = None, threads: int = 4, clock: Clock | None = None
    ) -> None:
        self.config = (config or Config()).with_(db=str(db))
        self.connect = Connect.open(self.config) if clock is None else on_clock(self.config, clock)
        self.organizer = self.connect.keys.create(
            name="organizer", scopes=ALL_SCOPES, created_by="tests"
        ).token
        # NOTE: the same waitress setup as `connect serve`; only the loop turns faster
        # so the tests stop quickly.
        self._server = create_server(
            create_app(self.connect),
            host="127.0.0.1",
            port=0,
            threads=threads,
            asyncore_loop_timeout=0.05,
            **proxy_options(self.config),
        )
        self.port = self._server.effective_port  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._stopping = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self.http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=30))

    def _run(self) -> None:
        try:
            self._server.run()
        except OSError:
            # NOTE: closing the listener from another thread makes the loop's select()
            # fail with EBADF; that is how this test server stops (as WebTest's does).
            if not self._stopping:
                raise

    def close(self) -> None:
        # NOTE: waitress's loop ends when its socket map is empty: closing our client
        # connections first lets the server's channels close, then the listener.
        self._stopping = True
        self.http.clear()
        self._server.close()
        self._server.task_dispatcher.shutdown()  # type: ignore[union-attr]
        self._thread.join(timeout=5)
        self.connect.close()


def on_clock(config: Config, clock: Clock) -> Connect:
    """``Connect.open(config)``, but telling the time by ``clock``."""
    return Connect.open(config, clock=clock)


CLI = (sys.executable, "-m", "connect.entrypoints.cli")
TESTING_SERVE = (sys.executable, "-m", "connect.testing", "serve")
_LISTENING = re.compile(r"listening on (http://[\d.]+:\d+)")


class Process:
    """A command (e.g. ``[*CLI, "worker"]``) in a process of its own; its output goes
    to ``log``, which is read to see when it is ready (and shown when it is not)."""

    def __init__(self, command: Sequence[str], env: Mapping[str, str], log: Path) -> None:
        self.log = log
        self._out: IO[bytes] = log.open("wb")
        self.process = subprocess.Popen(
            command, env=dict(env), stdout=self._out, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_line(self, pattern: re.Pattern[str], timeout: float = 30.0) -> re.Match[str]:
        """The first match of ``pattern`` in the output, waiting for it to be printed."""
        found: list[re.Match[str]] = []

        def printed_or_exited() -> bool:
            found.extend(filter(None, [pattern.search(self.output())]))
            return bool(found) or self.process.poll() is not None

        wait_until(printed_or_exited, timeout)
        if found:
            return found[0]
        self.kill()
        raise AssertionError(f"{self.log.name} did not start:\n{self.output()}")

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, then the exit status (SIGKILL if it does not stop in ``timeout``)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        finally:
            self._out.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._out.close()


class ServeProcess(Client):
    """``connect serve --no-worker`` on a free loopback port, configured by ``env``
    (``CONNECT_DB`` and the rest). The first process on an empty database prints the
    organizer key; pass it to the others as ``organizer``. With ``clock_file``, it is
    ``python -m connect.testing serve`` telling the time by that file (``FileClock``)."""

    def __init__(
        self,
        env: Mapping[str, str],
        log: Path,
        organizer: str | None = None,
        *,
        clock_file: Path | None = None,
    ) -> None:
        if clock_file is None:
            self.server = Process([*CLI, "serve", "--no-worker", "--port", "0"], env, log)
        else:
            env = {**env, "CONNECT_CLOCK_FILE": str(clock_file), "CONNECT_PORT": "0"}
            self.server = Process(TESTING_SERVE, env, log)
        self.base_url = self.server.wait_for_line(_LISTENING).group(1)
        self.port = int(self.base_url.rsplit(":", 1)[1])
        printed = re.search(r"^(rnc_live_\S+)$", self.server.output(), re.MULTILINE)
        token = organizer or (printed.group(1) if printed else None)
        assert token is not None, f"no organizer key:\n{self.server.output()}"
        self.organizer = token
        self.http = urllib3.PoolManager(
            maxsize=16, retries=False, timeout=urllib3.Timeout(total=30)
        )

    def close(self) -> None:
        self.http.clear()
        self.server.stop()


class WorkerProcess(Process):
    """``connect worker`` configured by ``env``; ``name`` is the lease owner it claims as."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        super().__init__([*CLI, "worker"], env, log)
        self.name = self.wait_for_line(re.compile(r"Connect worker (\S+) delivering")).group(1)

    def freeze(self) -> None:
        """SIGSTOP: it holds its leases and sends nothing until killed or continued."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT: it carries on after ``freeze``."""
        os.kill(self.process.pid, signal.SIGCONT)
