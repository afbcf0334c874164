"""The production sender: one urllib3 ``PoolManager``, TLS verified, no redirects.

The sender resolves the host itself, refuses internal addresses (unless allow-listed),
and connects to the address it vetted while TLS still verifies the certificate against
the hostname: a DNS answer that changes between the check and the connection (DNS
rebinding) cannot steer a request inside the network.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as LookupTimeout
from typing import Final

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.util.ssl_ import create_urllib3_context

from connect.adapters.sender.deadline import Deadlines, deadline_pool
from connect.domain.retry import ANSWER_WITHIN
from connect.domain.urls import (
    IPAddress,
    Network,
    address_allowed,
    ip_literal,
    parse_networks,
    split_target,
)
from connect.ports.sender import SendResult

SNIPPET: Final = 1024
READ_LIMIT: Final = 64 * 1024
Resolver = Callable[[str, int], Sequence[str]]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class RefusedAddress(Exception):
    pass


class BoundedResolver:
    """Runs lookups on a few threads of its own and gives up on one after ``timeout``.

    ``getaddrinfo`` has no timeout of its own: a resolver that does not answer holds
    the calling thread for as long as the system's resolver configuration says (often
    10 s or more), and a worker thread stuck there delays every other delivery. A
    lookup that gives up keeps running on its lookup thread until the system's resolver
    returns; new lookups queue behind at most ``workers`` such stragglers and give up
    after ``timeout`` as well. (The pool starts its threads on the first lookup.)
    """

    def __init__(self, resolve: Resolver, timeout: float, workers: int) -> None:
        self._resolve = resolve
        self._timeout = timeout
        self._executor = ThreadPoolExecutor(workers, "connect-dns")

    def __call__(self, host: str, port: int) -> Sequence[str]:
        future = self._executor.submit(self._resolve, host, port)
        try:
            return future.result(timeout=self._timeout)
        except LookupTimeout:
            future.cancel()
            raise OSError(f"no DNS answer within {self._timeout:g} s") from None

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Urllib3Sender:
    """Sends webhook requests.

    Args:
        allow_networks: CIDRs that may be reached even though internal (tests, VPNs).
        ca_bundle: a PEM file of extra CAs to trust, besides the system's.
        connect_timeout, total_timeout: seconds. The DNS lookup also gives up after
            ``connect_timeout``; ``total_timeout`` bounds the whole attempt (connect,
            TLS, request, answer and its body), however slowly the receiver dribbles.
        resolve: host, port -> addresses (``getaddrinfo`` by default).
    """

    def __init__(
        self,
        allow_networks: Sequence[str] = (),
        ca_bundle: str | None = None,
        *,
        connect_timeout: float = 5.0,
        total_timeout: float = ANSWER_WITHIN,
        resolve: Resolver = system_resolver,
    ) -> None:
        self._allow: tuple[Network, ...] = parse_networks(allow_networks)
        self._timeout = urllib3.Timeout(connect=connect_timeout, total=total_timeout)
        self._total = total_timeout
        self._deadlines = Deadlines()
        # NOTE: lookups that never answer keep their thread until the system resolver
        # gives up; enough threads that a few such hosts cannot hold every lookup.
        self._resolve = BoundedResolver(resolve, connect_timeout, workers=32)
        self._ca_bundle = ca_bundle
        self._manager: urllib3.PoolManager | None = None
        self._lock = threading.Lock()

    @property
    def _pool(self) -> urllib3.PoolManager:
        # NOTE: built on first send, so wiring Connect (and importing it) reads no
        # certificate files.
        if self._manager is not None:
            return self._manager
        with self._lock:
            if self._manager is None:
                context = create_urllib3_context()
                context.load_default_certs()
                if self._ca_bundle:
                    context.load_verify_locations(cafile=self._ca_bundle)
                manager = urllib3.PoolManager(
                    num_pools=256, maxsize=8, block=False, ssl_context=context
                )
                manager.pool_classes_by_scheme = {"https": deadline_pool(self._deadlines)}
                self._manager = manager
            return self._manager

    def _vetted(self, host: str, port: int) -> IPAddress:
        literal = ip_literal(host)
        if literal is not None:
            candidates: list[IPAddress] = [literal]
        else:
            try:
                resolved = self._resolve(host, port)
            except (OSError, UnicodeError) as e:
                raise RefusedAddress(f"could not resolve {host}: {e}") from e
            candidates = [a for a in (ip_literal(r.split("%")[0]) for r in resolved) if a]
        for address in candidates:
            if address_allowed(address, self._allow):
                return address
        shown = ", ".join(str(a) for a in candidates) or "nothing"
        raise RefusedAddress(f"refused to send to {host}: it resolves to {shown}")

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        with self._deadlines.attempt(self._total) as watch:
            result = self._send(url, body, headers)
        if watch.expired:
            # NOTE: a cut-off answer can look whole (headers cut at a line end parse as
            # complete): whatever was read, an attempt past the deadline is a timeout.
            return SendResult(
                status_code=None,
                duration_ms=result.duration_ms,
                error=f"timed out: no complete answer within {self._total:g} s",
            )
        return result

    def _send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        target = split_target(url)
        try:
            address = self._vetted(target.host, target.port)
        except RefusedAddress as e:
            return SendResult(status_code=None, duration_ms=elapsed(), error=str(e))
        named = target.literal is None
        pool = self._pool.connection_from_host(
            str(address),
            target.port,
            scheme="https",
            pool_kwargs={
                "assert_hostname": target.host if named else None,
                "server_hostname": target.host if named else None,
            },
        )
        default_port = target.port == 443
        host_header = target.host if ":" not in target.host else f"[{target.host}]"
        sent = {**headers, "Host": host_header if default_port else f"{host_header}:{target.port}"}
        try:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers=sent,
                redirect=False,
                retries=False,
                timeout=self._timeout,
                preload_content=False,
                assert_same_host=False,
            )
        except (HTTPError, OSError) as e:
            return SendResult(status_code=None, duration_ms=elapsed(), error=_describe(e))
        try:
            data = response.read(READ_LIMIT)
            complete = response.read(1) == b""
        except (HTTPError, OSError) as e:
            response.release_conn()
            return SendResult(
                status_code=response.status, duration_ms=elapsed(), error=_describe(e)
            )
        if not complete:
            # NOTE: a huge or endless body is not read to the end: drop the connection.
            response.close()
        response.release_conn()
        return SendResult(
            status_code=response.status,
            duration_ms=elapsed(),
            response_snippet=data[:SNIPPET].decode("utf-8", errors="replace") or None,
            retry_after=response.headers.get("Retry-After"),
        )

    def close(self) -> None:
        self._resolve.close()
        self._deadlines.close()
        with self._lock:
            if self._manager is not None:
                self._manager.clear()


def _describe(error: BaseException) -> str:
    reason = getattr(error, "reason", None)
    text = str(reason or error) or type(error).__name__
    return text[:500]
