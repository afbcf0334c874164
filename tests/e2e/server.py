"""The real server for end-to-end tests: waitress on a free loopback port, SQLite file."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import urllib3

from connect.adapters.http import create_app
from connect.adapters.http.server import create_server
from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.entrypoints.proxy import proxy_options


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


class RunningServer:
    """``Connect.open`` on a file, served by waitress in a thread on 127.0.0.1:0."""

    def __init__(self, db: Path, config: Config | None = None, threads: int = 4) -> None:
        self.config = (config or Config()).with_(db=str(db))
        self.connect = Connect.open(self.config)
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

    def close(self) -> None:
        # NOTE: waitress's loop ends when its socket map is empty: closing our client
        # connections first lets the server's channels close, then the listener.
        self._stopping = True
        self.http.clear()
        self._server.close()
        self._server.task_dispatcher.shutdown()  # type: ignore[union-attr]
        self._thread.join(timeout=5)
        self.connect.close()
