"""The route table: the one place that says which path serves what, and who may call it.

Each row names a path (as documented), the resource serving it and, per HTTP method,
the ``Access`` it needs: public, or a key with one scope, and what the operation
reaches (a test-mode key sees only test-mode data of it). The Falcon router, the
``Authorization`` middleware and the OpenAPI document's ``security`` entries are all
built from this table. A resource with a responder the table does not list is refused
when the app is built (``check_table``), so a route cannot be added without saying
who may call it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from attrs import frozen

from connect.adapters.http.resources.audit import AuditCollection
from connect.adapters.http.resources.events import EventFeed, EventTypes
from connect.adapters.http.resources.exports import ScheduleIcs, SubmissionsCsv, SubmissionsJson
from connect.adapters.http.resources.form import SpeakerForm
from connect.adapters.http.resources.health import Health
from connect.adapters.http.resources.home import HomePage
from connect.adapters.http.resources.keys import KeyCollection, KeyItem, KeyRotation
from connect.adapters.http.resources.metrics import Metrics
from connect.adapters.http.resources.pages import (
    AdminPage,
    ApiDocs,
    OpenApiDocument,
    api_version,
)
from connect.adapters.http.resources.submissions import (
    Schedule,
    SubmissionCollection,
    SubmissionItem,
)
from connect.adapters.http.resources.webhooks import (
    Redelivery,
    WebhookCollection,
    WebhookDeliveries,
    WebhookItem,
    WebhookRecovery,
    WebhookSecretRotation,
    WebhookTest,
)
from connect.domain.access import Access, Reach
from connect.domain.keys import Scope
from connect.services.container import Services
from connect.services.rate_limits import EXPORTS, FORM

# NOTE: ids in paths are positive SQLite integers; anything else is a 404 from the router.
ID: Final = "int(min=1, max=9223372036854775807)"
METHODS: Final = ("GET", "POST", "PUT", "PATCH", "DELETE")

PUBLIC: Final = Access(scope=None)
READ: Final = Access(Scope.SUBMISSIONS_READ, Reach.SUBMISSIONS)
WRITE: Final = Access(Scope.SUBMISSIONS_WRITE, Reach.SUBMISSIONS)
EXPORT: Final = Access(Scope.EXPORTS_CREATE, Reach.SUBMISSIONS)
WEBHOOKS: Final = Access(Scope.WEBHOOKS_MANAGE, Reach.WEBHOOKS)
KEYS: Final = Access(Scope.KEYS_MANAGE, Reach.KEYS)

Document = dict[str, Any]
Factory = Callable[[Services, Document], object]


@frozen
class Route:
    """One path of the API.

    Attributes:
        path: the path as documented (``/api/v1/webhooks/{id}``).
        resource: builds the resource from the services and the OpenAPI document.
        access: what each HTTP method needs; HEAD follows GET.
        ids: the path parameters that are database ids (routed as positive integers).
        rate_policy: a stricter rate-limit policy (``exports``, ``form``), if any.
        error_member: every problem answered on this path also carries ``error``, the
            human sentence (``problems.with_error_member``). Literal paths only.
    """

    path: str
    resource: Factory
    access: Mapping[str, Access]
    ids: tuple[str, ...] = ()
    rate_policy: str | None = None
    error_member: bool = False

    @property
    def template(self) -> str:
        """The Falcon URI template (ids with their converter)."""
        template = self.path
        for name in self.ids:
            template = template.replace(f"{{{name}}}", f"{{{name}:{ID}}}")
        return template

    def access_for(self, method: str) -> Access | None:
        return self.access.get("GET" if method == "HEAD" else method)


ROUTES: Final[tuple[Route, ...]] = (
    Route("/", lambda s, d: HomePage(api_version()), {"GET": PUBLIC}),
    Route("/healthz", lambda s, d: Health(s), {"GET": PUBLIC}),
    Route("/openapi.json", lambda s, d: OpenApiDocument(d), {"GET": PUBLIC}),
    Route("/docs/api", lambda s, d: ApiDocs(d), {"GET": PUBLIC}),
    Route("/admin", lambda s, d: AdminPage(), {"GET": PUBLIC}),
    Route(
        "/api/submissions",
        lambda s, d: SpeakerForm(s.submissions),
        {"POST": PUBLIC},
        rate_policy=FORM,
        # NOTE: the Rust NYC site's own frontend posts here and shows `result.error`.
        error_member=True,
    ),
    Route(
        "/api/v1/submissions",
        lambda s, d: SubmissionCollection(s.submissions),
        {"GET": READ, "POST": WRITE},
    ),
    Route(
        "/api/v1/submissions/{id}",
        lambda s, d: SubmissionItem(s.submissions, s.personal_data),
        # NOTE: erasure removes personal data for good: an organizer's decision.
        {"GET": READ, "PATCH": WRITE, "DELETE": Access(Scope.KEYS_MANAGE, Reach.SUBMISSIONS)},
        ids=("id",),
    ),
    Route("/api/v1/schedule", lambda s, d: Schedule(s.submissions), {"GET": READ}),
    # NOTE: events carry submissions, so reading them needs what reading those needs.
    Route("/api/v1/events", lambda s, d: EventFeed(s.feed), {"GET": READ}),
    # NOTE: the catalog is reference data, the same as /openapi.json's webhooks section.
    Route("/api/v1/event-types", lambda s, d: EventTypes(d), {"GET": PUBLIC}),
    Route(
        "/api/v1/exports/submissions.csv",
        lambda s, d: SubmissionsCsv(s.exports),
        {"GET": EXPORT},
        rate_policy=EXPORTS,
    ),
    Route(
        "/api/v1/exports/submissions.json",
        lambda s, d: SubmissionsJson(s.exports),
        {"GET": EXPORT},
        rate_policy=EXPORTS,
    ),
    Route(
        "/api/v1/exports/schedule.ics",
        lambda s, d: ScheduleIcs(s.exports),
        # NOTE: calendar clients cannot send headers, so the feed alone takes ?key=.
        {"GET": Access(Scope.EXPORTS_CREATE, Reach.SUBMISSIONS, query_key=True)},
        rate_policy=EXPORTS,
    ),
    Route("/api/v1/keys", lambda s, d: KeyCollection(s.keys), {"GET": KEYS, "POST": KEYS}),
    Route("/api/v1/keys/{id}", lambda s, d: KeyItem(s.keys), {"GET": KEYS, "DELETE": KEYS}),
    Route("/api/v1/keys/{id}/rotate", lambda s, d: KeyRotation(s.keys), {"POST": KEYS}),
    Route(
        "/api/v1/webhooks",
        lambda s, d: WebhookCollection(s.webhooks),
        {"GET": WEBHOOKS, "POST": WEBHOOKS},
    ),
    Route(
        "/api/v1/webhooks/{id}",
        lambda s, d: WebhookItem(s.webhooks),
        {"GET": WEBHOOKS, "PATCH": WEBHOOKS, "DELETE": WEBHOOKS},
        ids=("id",),
    ),
    Route(
        "/api/v1/webhooks/{id}/test",
        lambda s, d: WebhookTest(s.webhooks),
        {"POST": WEBHOOKS},
        ids=("id",),
    ),
    Route(
        "/api/v1/webhooks/{id}/rotate-secret",
        lambda s, d: WebhookSecretRotation(s.webhooks),
        {"POST": WEBHOOKS},
        ids=("id",),
    ),
    Route(
        "/api/v1/webhooks/{id}/deliveries",
        lambda s, d: WebhookDeliveries(s.webhooks),
        {"GET": WEBHOOKS},
        ids=("id",),
    ),
    Route(
        "/api/v1/webhooks/{id}/recover",
        lambda s, d: WebhookRecovery(s.webhooks),
        {"POST": WEBHOOKS},
        ids=("id",),
    ),
    Route(
        "/api/v1/deliveries/{id}/redeliver",
        lambda s, d: Redelivery(s.webhooks),
        {"POST": WEBHOOKS},
        ids=("id",),
    ),
    Route(
        "/api/v1/audit",
        lambda s, d: AuditCollection(s.audit),
        {"GET": Access(Scope.KEYS_MANAGE, Reach.AUDIT)},
    ),
    Route(
        "/api/v1/metrics",
        lambda s, d: Metrics(s.metrics),
        {"GET": Access(Scope.KEYS_MANAGE, Reach.METRICS)},
    ),
)


def error_member_paths(routes: Iterable[Route]) -> frozenset[str]:
    """The paths whose problems carry ``error`` (``Route.error_member``).

    Raises:
        ValueError: a route with path parameters asks for it (matched literally).
    """
    paths = frozenset(route.path for route in routes if route.error_member)
    templated = sorted(p for p in paths if "{" in p)
    if templated:
        raise ValueError(f"error_member needs a literal path: {templated}")
    return paths


def responders(resource: object) -> set[str]:
    """The HTTP methods ``resource`` answers (HEAD and OPTIONS aside)."""
    return {m for m in METHODS if callable(getattr(resource, f"on_{m.lower()}", None))}


def check_table(routes: Iterable[tuple[Route, object]]) -> None:
    """Refuse a table whose resources answer a method it does not declare (or declare a
    method nobody answers): who may call a route is never left unsaid.

    Raises:
        ValueError: naming the route and the methods that differ.
    """
    for route, resource in routes:
        declared = set(route.access)
        answered = responders(resource)
        if declared != answered:
            raise ValueError(
                f"route {route.path}: the table declares {sorted(declared)} but "
                f"{type(resource).__name__} answers {sorted(answered)}"
            )
