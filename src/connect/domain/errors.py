"""One error family for Connect.

Every error the core raises is a ``ConnectError``. Each subclass also subclasses the
built-in exception it means, so callers that know nothing of Connect still catch it
sensibly (``except LookupError`` catches ``NotFound``). The HTTP adapter maps each class
to one problem response in a single table.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen


@frozen
class FieldError:
    """One problem with one input field."""

    field: str
    message: str


class ConnectError(Exception):
    """Base class of every error Connect raises on purpose."""


class ValidationFailed(ConnectError, ValueError):
    """Input broke one or more domain rules; nothing was stored."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])


class NotFound(ConnectError, LookupError):
    """The resource does not exist, or is not visible to the caller."""


class Unauthenticated(ConnectError, PermissionError):
    """No credential, or a credential that is unknown, revoked or expired."""


class Forbidden(ConnectError, PermissionError):
    """The credential is valid but lacks the scope the operation needs."""


class Conflict(ConnectError, RuntimeError):
    """The operation contradicts the resource's current state."""


class InvalidIdempotencyKey(ConnectError, ValueError):
    """An ``Idempotency-Key`` that is not 1 to 255 visible ASCII characters."""


class IdempotencyKeyReused(ConnectError, ValueError):
    """An ``Idempotency-Key`` sent again with a different request; nothing was stored."""


class RateLimited(ConnectError, RuntimeError):
    """A rate-limit policy refused the request."""

    def __init__(self, policy: str, retry_after: int) -> None:
        self.policy = policy
        self.retry_after = retry_after
        super().__init__(f"rate limit {policy!r} exceeded; retry in {retry_after}s")


class Overloaded(ConnectError, RuntimeError):
    """Connect is at its limit for this kind of work right now; retry shortly.

    Args:
        what: the work that is at its limit (e.g. ``"key verification"``).
        retry_after: seconds after which a retry is likely to be served.
    """

    def __init__(self, what: str, retry_after: int) -> None:
        self.what = what
        self.retry_after = retry_after
        super().__init__(f"too many {what}s in progress; retry in {retry_after}s")


class StorageUnavailable(ConnectError, OSError):
    """The database cannot be opened or written: a missing directory, a path inside a
    file, no permission, a full disk, or a file that is not a SQLite database."""


class SchemaTooNew(ConnectError, RuntimeError):
    """The database was migrated by a newer Connect than this one; nothing was changed.

    Args:
        where: the database, as the user named it.
        found: its schema version (``PRAGMA user_version``).
        latest: the newest version this code knows.
    """

    def __init__(self, where: str, found: int, latest: int) -> None:
        self.found = found
        self.latest = latest
        super().__init__(
            f"{where} has schema version {found}, newer than this Connect knows "
            f"(up to {latest}): a newer release migrated it; run that release, or "
            "restore a backup made before the upgrade"
        )


class SecretUnreadable(ConnectError, ValueError):
    """A stored secret does not decrypt with the configured keys (wrong or missing key,
    or an altered value). Never answered with a garbage secret instead."""
