"""Connect: scoped API keys, exports and signed webhooks for Rust NYC talk submissions.

    from connect import Connect, create_app

    connect = Connect.open("connect.db")
    app = create_app(connect)          # any WSGI server

Importing this package does no I/O: names load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from connect._version import __version__ as __version__

_EXPORTS = {
    "Connect": "connect.bootstrap",
    "Config": "connect.config",
    "create_app": "connect.adapters.http",
    "ConnectError": "connect.domain.errors",
    "ValidationFailed": "connect.domain.errors",
    "NotFound": "connect.domain.errors",
    "Unauthenticated": "connect.domain.errors",
    "Forbidden": "connect.domain.errors",
    "Conflict": "connect.domain.errors",
    "RateLimited": "connect.domain.errors",
    "Submission": "connect.domain.submissions",
    "Status": "connect.domain.submissions",
    "Mode": "connect.domain.mode",
    "ApiKey": "connect.domain.keys",
    "Scope": "connect.domain.keys",
    "Principal": "connect.domain.keys",
    "Event": "connect.domain.events",
    "EventType": "connect.domain.events",
    "Page": "connect.domain.pagination",
    "verify_webhook": "connect.verification",
    "WebhookVerificationError": "connect.domain.signing",
}

__all__ = list(_EXPORTS)

if TYPE_CHECKING:
    # NOTE: "X as X" re-exports each name for type checkers; at run time they load lazily.
    from connect.adapters.http import create_app as create_app
    from connect.bootstrap import Connect as Connect
    from connect.config import Config as Config
    from connect.domain.errors import Conflict as Conflict
    from connect.domain.errors import ConnectError as ConnectError
    from connect.domain.errors import Forbidden as Forbidden
    from connect.domain.errors import NotFound as NotFound
    from connect.domain.errors import RateLimited as RateLimited
    from connect.domain.errors import Unauthenticated as Unauthenticated
    from connect.domain.errors import ValidationFailed as ValidationFailed
    from connect.domain.events import Event as Event
    from connect.domain.events import EventType as EventType
    from connect.domain.keys import ApiKey as ApiKey
    from connect.domain.keys import Principal as Principal
    from connect.domain.keys import Scope as Scope
    from connect.domain.mode import Mode as Mode
    from connect.domain.pagination import Page as Page
    from connect.domain.signing import WebhookVerificationError as WebhookVerificationError
    from connect.domain.submissions import Status as Status
    from connect.domain.submissions import Submission as Submission
    from connect.verification import verify_webhook as verify_webhook


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'connect' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
