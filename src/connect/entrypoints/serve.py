"""``connect serve``: the HTTP API on waitress, with a clean shutdown on Ctrl-C/SIGTERM."""

from __future__ import annotations

import ctypes
import errno
import shlex
import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO, Unpack

from connect.bootstrap import Adapters, Connect, DeliveryWorker, create_app, create_server
from connect.config import Config, ConfigError, database_label, is_postgres
from connect.domain.keys import ALL_SCOPES, Scope
from connect.entrypoints.logs import configure_logging
from connect.entrypoints.queue_log import sample_queue_warnings
from connect.services.daily_purge import DailyPurge

#: glibc's ``M_MMAP_THRESHOLD`` (malloc.h).
_M_MMAP_THRESHOLD = -3


def return_large_blocks() -> bool:
    """Make ``malloc`` serve blocks of 4 MiB or more with their own
    mapping, handed back to the system on ``free``. True if the C library took it.

    NOTE: argon2 allocates its 19 MiB per verification with ``malloc``. glibc's
    default threshold starts at 128 KiB but rises (up to 32 MiB) after the first such
    block is freed, and from then on each request thread keeps a freed 19 MiB in its
    own arena: peak memory grew with the thread count (8 x 19 MiB), not with the two
    verifications allowed at once (bench/argon2_memory.py: 199 MB -> 86 MB peak). A
    fixed threshold keeps large blocks out of the arenas; Python's small objects
    never reach it. A no-op where the C library has no ``mallopt`` (not glibc).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, 4 * 1024 * 1024))


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def start_embedded(connect: Connect) -> tuple[DeliveryWorker, threading.Thread]:
    """Run a worker in a background thread of this process, and the daily purge
    beside it (it ends when the worker does)."""
    worker = connect.worker()
    thread = threading.Thread(target=worker.run, name="connect-worker", daemon=True)
    thread.start()
    DailyPurge(connect.personal_data, companion=thread).start()
    return worker, thread


def organizer_key_command(db: str) -> str:
    """The exact command that makes an organizer key (every scope) for ``db``."""
    scopes = sorted(ALL_SCOPES, key=lambda s: (s is not Scope.KEYS_MANAGE, s.value))
    words = ["connect", "keys", "create", "--name", "organizer"]
    words += [word for scope in scopes for word in ("--scope", scope.value)]
    # NOTE: a PostgreSQL URL may carry a password: the command then reads CONNECT_DB.
    return shlex.join(words if is_postgres(db) else [*words, "--db", db])


def _listen_failure(config: Config, error: OSError) -> str:
    where = f"cannot listen on {config.host} port {config.port}"
    if error.errno == errno.EADDRINUSE:
        return (
            f"{where}: the port is in use (another connect serve?); stop that process or "
            "choose another port with --port or CONNECT_PORT"
        )
    if error.errno == errno.EACCES:
        return f"{where}: permission denied; choose a port above 1023 with --port or CONNECT_PORT"
    reason = error.strerror or str(error)
    return f"{where}: {reason}; check --host (CONNECT_HOST) and --port (CONNECT_PORT)"


def proxy_options(config: Config) -> dict[str, Any]:
    """Keyword arguments for ``waitress.create_server`` (see docs/rate-limits.md).

    Without a trusted proxy, waitress removes every proxy header (``X-Forwarded-For``,
    ``Forwarded``, ...) and ``REMOTE_ADDR`` is the socket peer. With one, waitress reads
    the client address from ``trusted_proxy_headers`` only on connections whose peer
    is ``trusted_proxy`` (the right-most ``trusted_proxy_count`` entries), and still
    strips them on every other connection, so a client that reaches Connect directly
    cannot choose its own address.
    """
    options: dict[str, Any] = {"clear_untrusted_proxy_headers": True}
    if config.trusted_proxy is not None:
        options.update(
            trusted_proxy=config.trusted_proxy,
            trusted_proxy_headers=set(config.trusted_proxy_headers),
            trusted_proxy_count=config.trusted_proxy_count,
        )
    return options


def serve(
    config: Config, *, out: TextIO = sys.stdout, worker: bool = True, **adapters: Unpack[Adapters]
) -> int:
    """Open the database, bind the port, make the first organizer key if there is
    none (else say how to make one), and serve.

    Returns when interrupted (SIGINT or SIGTERM), after closing the server and storage.

    Args:
        adapters: what ``Connect.open`` takes instead of the production adapters
            (``connect.testing`` gives a test clock).

    Raises:
        StorageUnavailable: the database cannot be created, opened or written.
        SchemaTooNew: a newer Connect migrated the database.
        ConfigError: the address cannot be bound (the port is in use, not allowed, or
            the host is not an address of this machine): one line saying which.
    """
    configure_logging(config.log_format)
    return_large_blocks()
    connect = Connect.open(config, **adapters)
    try:
        server = create_server(
            create_app(connect),
            host=config.host,
            port=config.port,
            threads=config.threads,
            **proxy_options(config),
        )
    except OSError as e:
        connect.close()
        raise ConfigError(_listen_failure(config, e)) from None
    except BaseException:
        connect.close()
        raise
    # NOTE: the first key is made once the port is ours: a start that fails must not
    # make the key it would have shown once, and then not show it.
    issued = connect.keys.ensure_organizer_key()
    sample_queue_warnings(server)
    embedded = start_embedded(connect) if worker else None
    # NOTE: the handler goes in before the "listening" line: a supervisor may send
    # SIGTERM as soon as it reads it.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        port = getattr(server, "effective_port", config.port)
        host = f"[{config.host}]" if ":" in config.host else config.host
        base = f"http://{host}:{port}"
        if issued is not None:
            print("Created the first organizer key (keys:manage and every other scope).", file=out)
            print("It is shown once, now; store it somewhere safe. Use it like this:", file=out)
            print(f"  curl -H 'Authorization: Bearer {issued.token}' {base}/api/v1/keys", file=out)
            print(issued.token, file=out)
        else:
            print("Organizer keys are shown once, when made; to make another one:", file=out)
            print(f"  {organizer_key_command(config.db)}", file=out)
        print(
            f"Connect is listening on {base} (database {database_label(config.db)})."
            " Ctrl-C stops it.",
            file=out,
            flush=True,
        )
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        if embedded is not None:
            embedded[0].stop()
            embedded[1].join(timeout=30)
        connect.close()
        print("Connect stopped.", file=out, flush=True)
    return 0
