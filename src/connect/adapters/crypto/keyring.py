"""Where the encryption keys come from: ``CONNECT_SECRET_KEY`` (and, during a rotation,
``CONNECT_SECRET_KEY_NEW``) or a key file beside the database.

The key file (``<database>.key``, e.g. ``connect.db.key``) is created 0600 on first
use when no key is configured. It holds one base64url key per line, the current key
first; during ``connect rotate-encryption-key`` it briefly holds the new key and the
old ones, so a crash at any point leaves every stored secret readable.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from attrs import frozen

from connect.adapters.crypto.box import KEY_BYTES, AeadSecretBox


@frozen
class KeyRing:
    """The keys a process may use, the current one first, and where they came from."""

    keys: tuple[bytes, ...]
    source: str
    key_file: Path | None = None

    def box(self) -> AeadSecretBox:
        return AeadSecretBox(self.keys, source=self.source)


def generate_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_file_for(db: str) -> Path | None:
    """The key file beside a database file; ``None`` for an in-memory database."""
    if db in ("", ":memory:") or db.startswith("file:"):
        return None
    return Path(db + ".key")


def read_key_file(path: Path) -> tuple[bytes, ...]:
    """The keys in a key file, current first.

    Raises:
        ValueError: the file holds something that is not a key.
    """
    keys = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            key = base64.urlsafe_b64decode(line.strip().encode())
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise ValueError(f"{path}: line {number} is not a base64 {KEY_BYTES}-byte key")
        keys.append(key)
    if not keys:
        raise ValueError(f"{path} holds no key")
    return tuple(keys)


def write_key_file(
    path: Path, keys: Sequence[bytes], put: Callable[[Path, Path], None] = os.replace
) -> None:
    """Write ``keys`` whole to a new 0600 file beside ``path``, then ``put`` it at
    ``path``: ``os.replace`` swaps the key file atomically, ``os.link`` creates it only
    if there is none. On disk when this returns."""
    partial = path.with_name(f"{path.name}.{secrets.token_hex(8)}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write("".join(base64.urlsafe_b64encode(k).decode() + "\n" for k in keys))
            out.flush()
            os.fsync(out.fileno())
        put(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    # NOTE: the new name is durable only once the directory entry is on disk.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _create_key_file(path: Path) -> tuple[bytes, ...]:
    # NOTE: written whole under a private name, then linked into place: a server and a
    # worker starting together never read a half-written file, and only one key wins.
    key = generate_key()
    try:
        write_key_file(path, (key,), os.link)
    except FileExistsError:
        return read_key_file(path)  # another process made it first
    return (key,)


def load_keyring(db: str, secret_key: bytes | None, secret_key_new: bytes | None) -> KeyRing:
    """The keys for a database: ``CONNECT_SECRET_KEY_NEW`` first when set, then
    ``CONNECT_SECRET_KEY``, or else the key file (created on first use). An in-memory
    database without a configured key gets a key that lives as long as the process.

    Raises:
        ValueError: the key file holds something that is not a key.
    """
    first = (secret_key_new,) if secret_key_new else ()
    sources = ["CONNECT_SECRET_KEY_NEW"] if secret_key_new else []
    if secret_key is not None:
        return KeyRing((*first, secret_key), " and ".join([*sources, "CONNECT_SECRET_KEY"]))
    path = key_file_for(db)
    if path is None:
        keys = first or (generate_key(),)
        return KeyRing(keys, " and ".join(sources) or "a key held in memory")
    if path.exists():
        found = read_key_file(path)
    elif first:
        found = ()
    else:
        found = _create_key_file(path)
    return KeyRing((*first, *found), " and ".join([*sources, f"the key file {path}"]), path)
