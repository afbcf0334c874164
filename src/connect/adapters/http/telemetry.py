"""Per request: a request id, one log line, and an audit entry for ``/api/v1``.

The log line and the audit entry name the route template, never the raw URL: the
query may carry ``?key=<token>`` (calendar feeds), and paths are client input.
"""

from __future__ import annotations

import logging
import random
import re
import secrets
import time
from typing import Any

import falcon

from connect.adapters.http.headers import in_api
from connect.adapters.http.rate_limit import client_address
from connect.domain.audit import route_template
from connect.services.audit import AuditService

log = logging.getLogger("connect.http")
REQUEST_ID = "X-Request-Id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


# NOTE: request ids need to be unique, not secret; a seeded PRNG avoids a getrandom()
# system call (which releases the GIL) on every request.
_IDS = random.Random(secrets.token_bytes(16))


def new_request_id() -> str:
    return f"req_{_IDS.getrandbits(64):016x}"


class RequestTelemetry:
    """Times each request, echoes or makes its ``X-Request-Id``, logs one line on
    ``connect.http`` and hands an audit entry to the (background) audit writer.
    """

    def __init__(self, audit: AuditService) -> None:
        self._audit = audit
        self._templates: dict[str | None, str] = {}

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        req.context.started = time.perf_counter()
        sent = req.get_header(REQUEST_ID)
        request_id = sent if sent and _SANE_ID.fullmatch(sent) else new_request_id()
        req.context.request_id = request_id
        resp.set_header(REQUEST_ID, request_id)

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, succeeded: bool
    ) -> None:
        started = getattr(req.context, "started", None)
        duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        raw = req.uri_template
        template = self._templates.get(raw)
        if template is None:
            template = self._templates.setdefault(raw, route_template(raw))
        principal = getattr(req.context, "principal", None)
        status = resp.status_code
        client_ip = client_address(req)
        if in_api(req.path) and self._audit.enabled:
            # NOTE: a plain tuple: the entry is built on the writer's thread.
            self._audit.record(
                (
                    principal.key if principal is not None else None,
                    template,
                    req.method,
                    status,
                    client_ip,
                    round(duration_ms, 3),
                    time.time(),
                )
            )
        if log.isEnabledFor(logging.INFO):
            key_id = principal.key_id if principal is not None else None
            request_id = getattr(req.context, "request_id", None)
            message = (
                f"{req.method} {template} {status} {duration_ms:.2f}ms "
                f"key={key_id or '-'} ip={client_ip} request_id={request_id}"
            )
            fields: dict[str, Any] = {
                "method": req.method,
                "route": template,
                "status": status,
                "duration_ms": round(duration_ms, 2),
                "key_id": key_id,
                "request_id": request_id,
                "client_ip": client_ip,
            }
            # NOTE: makeRecord + handle is what log.info does, minus the walk up the
            # stack to find the caller: this line is written for every request.
            record = log.makeRecord(
                log.name, logging.INFO, __file__, 0, message, (), None, extra={"fields": fields}
            )
            log.handle(record)
