"""Storage chosen by configuration: the SQLite file or a PostgreSQL database, the keys
that seal webhook secrets, and the operations that move or re-seal what is stored."""

from __future__ import annotations

from contextlib import ExitStack, closing
from pathlib import Path

from connect.adapters.crypto import KeyRing, generate_key, key_id, load_keyring, write_key_file
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.copy import (
    TableCopy,
    check_secrets_open,
    copy_database,
    open_read_only,
)
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.config import MAKE_KEY, Config, ConfigError, database_label, is_postgres
from connect.domain.errors import StorageUnavailable


def keyring(config: Config) -> KeyRing:
    """The keys that seal webhook secrets: ``CONNECT_SECRET_KEY`` (and ``_NEW``), or the
    key file beside the database (created 0600 on first use).

    Raises:
        ConfigError: the key file holds something that is not a key.
        StorageUnavailable: the key file cannot be read or created (the database's
            directory is missing or not writable).
    """
    try:
        return load_keyring(config.db, config.secret_key, config.secret_key_new)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    except OSError as e:
        # NOTE: the key file is the first thing written beside the database, so this is
        # where a missing or read-only directory shows; the OSError names a temp file.
        reason = e.strerror or str(e)
        raise StorageUnavailable(
            f"cannot use the database {config.db}: cannot create its key file beside it ({reason})"
        ) from e


def storage(config: Config, ring: KeyRing | None = None) -> SqliteUnitOfWork | PostgresUnitOfWork:
    """The database ``CONNECT_DB`` names: a ``postgresql://`` URL or a SQLite file.
    Not migrated yet.

    Raises:
        ConfigError: PostgreSQL without ``CONNECT_SECRET_KEY``.
    """
    if not is_postgres(config.db):
        return sqlite_storage(config, ring)
    if ring is None and config.secret_key is None:
        # NOTE: there is no file beside a server to keep the key in, and every process
        # on every machine must seal and open secrets with the same key.
        raise ConfigError(
            f"{database_label(config.db)} needs CONNECT_SECRET_KEY (the same on every"
            f" machine): it encrypts webhook secrets. Make one with: {MAKE_KEY}"
        )
    return PostgresUnitOfWork(
        config.db,
        secret_box=(ring or keyring(config)).box(),
        max_connections=config.db_pool_size,
    )


def sqlite_storage(config: Config, ring: KeyRing | None = None) -> SqliteUnitOfWork:
    """The SQLite file of ``config``, sealing webhook secrets with ``ring`` (by default
    the configured keys). Not migrated yet."""
    return SqliteUnitOfWork(config.db, secret_box=(ring or keyring(config)).box())


def rotate_encryption_key(config: Config) -> tuple[int, str]:
    """Re-seal every stored webhook secret under a new key (``connect
    rotate-encryption-key``), in one transaction: ``CONNECT_SECRET_KEY_NEW`` (which the
    operator then makes ``CONNECT_SECRET_KEY``), or with the key file a new key written
    beside the old ones, which are dropped only once every secret is re-sealed; a crash
    at any step leaves every secret readable with the keys configured at that moment.
    Returns how many secrets were re-sealed and the new key's id.

    Raises:
        ConfigError: ``CONNECT_SECRET_KEY`` is set without ``CONNECT_SECRET_KEY_NEW``,
            or the database has no key file (PostgreSQL without either).
    """
    ring = keyring(config)
    if config.secret_key_new is not None:
        new = config.secret_key_new
    elif config.secret_key is not None:
        raise ConfigError(
            "CONNECT_SECRET_KEY is set: put the new key in CONNECT_SECRET_KEY_NEW and run "
            "rotate-encryption-key again (Connect cannot change your environment)"
        )
    elif ring.key_file is None:
        raise ConfigError(
            f"{database_label(config.db)} is not a database file; there is nothing to rotate"
        )
    else:
        new = generate_key()
        # NOTE: the new key is on disk, beside the old ones, before any row uses it.
        write_key_file(ring.key_file, (new, *ring.keys))
        ring = KeyRing((new, *ring.keys), ring.source, ring.key_file)
    with closing(storage(config, ring)) as uow:
        uow.migrate()
        count = uow.reseal_secrets()
    if config.secret_key_new is None and ring.key_file is not None:
        write_key_file(ring.key_file, (new,))
    return count, key_id(new)


def migrate_data(
    config: Config, source: str, target: str, *, force: bool = False
) -> list[TableCopy]:
    """Copy the SQLite file ``source`` into the PostgreSQL database ``target``, both
    migrated first (``connect migrate-data``; docs/data.md).

    Raises:
        ConfigError: ``target`` is not a ``postgresql://`` URL, or no
            ``CONNECT_SECRET_KEY`` is set.
        StorageUnavailable: ``source`` is missing or unreadable, ``target`` unreachable
            or refused a row (nothing is copied).
        SecretUnreadable: ``CONNECT_SECRET_KEY`` does not open the file's webhook
            secrets (nothing is written anywhere).
        Conflict: ``target`` holds rows and ``force`` is not set.
    """
    if not is_postgres(target):
        raise ConfigError(f"--to must be a postgresql:// URL, not {database_label(target)}")
    if is_postgres(source) or not Path(source).is_file():
        raise StorageUnavailable(f"there is no SQLite database file at {source}")
    if config.secret_key is None:
        # NOTE: the copied secrets open only with the key that sealed them, and every
        # PostgreSQL process needs it in its environment: checked here, before copying.
        raise ConfigError(
            f"set CONNECT_SECRET_KEY to the key that sealed {source}'s webhook secrets (the"
            f" first line of {source}.key, or the CONNECT_SECRET_KEY it ran with); every"
            " process on PostgreSQL needs the same CONNECT_SECRET_KEY"
        )
    ring = KeyRing((config.secret_key,), "CONNECT_SECRET_KEY")
    with ExitStack() as stack:
        reader = stack.enter_context(closing(open_read_only(source)))
        check_secrets_open(reader, ring.box(), source)
        postgres = stack.enter_context(
            closing(PostgresUnitOfWork(target, secret_box=ring.box(), max_connections=1))
        )
        sqlite = stack.enter_context(closing(sqlite_storage(config.with_(db=source), ring)))
        postgres.migrate()  # NOTE: first: an unreachable target leaves the file as is
        sqlite.migrate()
        with postgres.connection() as conn:
            return copy_database(reader, conn, force=force, where=database_label(target))
