"""Webhook routes: registration, changes, test send, secret rotation, delivery log."""

from __future__ import annotations

from typing import Any

import falcon

from connect.adapters.http import params
from connect.adapters.http.body import read_json
from connect.adapters.http.structure import structure
from connect.domain.deliveries import Attempt, Delivery
from connect.domain.requests.keys import NoFields, SecretRotation
from connect.domain.requests.webhooks import RecoveryRequest, WebhookPatch, WebhookRegistration
from connect.domain.time import format_instant
from connect.domain.webhooks import Webhook, sorted_events
from connect.presentation import page_document, recovery_document
from connect.services.webhooks import IssuedWebhook, WebhookService


def _instant(value: Any) -> str | None:
    return format_instant(value) if value is not None else None


def webhook_document(webhook: Webhook) -> dict[str, Any]:
    """The webhook resource; the secret is never part of it."""
    return {
        "id": webhook.id,
        "url": webhook.url,
        "events": sorted_events(webhook.events),
        "active": webhook.active,
        "failure_count": webhook.failure_count,
        "disabled_reason": webhook.disabled_reason,
        "disabled_at": _instant(webhook.disabled_at),
        "api_key_id": webhook.api_key_id,
        "mode": webhook.mode.value,
        "created_at": format_instant(webhook.created_at),
    }


def issued_document(issued: IssuedWebhook) -> dict[str, Any]:
    return {**webhook_document(issued.webhook), "secret": issued.secret}


def attempt_document(attempt: Attempt) -> dict[str, Any]:
    return {
        "attempt": attempt.attempt,
        "status_code": attempt.status_code,
        "duration_ms": attempt.duration_ms,
        "error": attempt.error,
        "response_snippet": attempt.response_snippet,
        "attempted_at": format_instant(attempt.attempted_at),
    }


def delivery_document(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "webhook_id": delivery.webhook_id,
        "event_id": delivery.event_id,
        "event": delivery.event.value,
        "status": delivery.status.value,
        "attempt_count": delivery.attempt_count,
        "next_attempt_at": _instant(delivery.next_attempt_at),
        "created_at": format_instant(delivery.created_at),
        "attempts": [attempt_document(a) for a in delivery.attempts],
    }


class WebhookCollection:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._webhooks.list(
            req.context.principal, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page, webhook_document)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        registration = structure(read_json(req), WebhookRegistration)
        issued = self._webhooks.register(req.context.principal, registration)
        resp.status = falcon.HTTP_201
        resp.location = f"{req.path}/{issued.webhook.id}"
        resp.media = issued_document(issued)


class WebhookItem:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        resp.media = webhook_document(self._webhooks.get(req.context.principal, id))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        patch = structure(read_json(req), WebhookPatch)
        webhook = self._webhooks.update(req.context.principal, id, patch)
        resp.media = webhook_document(webhook)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        self._webhooks.delete(req.context.principal, id)
        resp.status = falcon.HTTP_204


class WebhookTest:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        # NOTE: no body; a body with fields is refused rather than ignored.
        structure(read_json(req, allow_empty=True), NoFields)
        result = self._webhooks.send_test(req.context.principal, id)
        code = result.attempt.status_code
        resp.media = {
            **attempt_document(result.attempt),
            "success": code is not None and 200 <= code < 300,
            "delivery_id": result.delivery.id,
            "event_id": result.delivery.event_id,
        }


class WebhookSecretRotation:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        body = structure(read_json(req, allow_empty=True), SecretRotation)
        issued = self._webhooks.rotate_secret(req.context.principal, id, body.grace_seconds)
        resp.media = issued_document(issued)


class WebhookDeliveries:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        page = self._webhooks.deliveries(
            req.context.principal, id, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page, delivery_document)


class Redelivery:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        structure(read_json(req, allow_empty=True), NoFields)
        delivery = self._webhooks.redeliver(req.context.principal, id)
        resp.status = falcon.HTTP_202
        resp.media = delivery_document(delivery)


class WebhookRecovery:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        request = structure(read_json(req), RecoveryRequest)
        recovery = self._webhooks.recover(req.context.principal, id, request)
        # NOTE: 202 as Svix's recover: the deliveries are queued, not yet delivered.
        resp.status = falcon.HTTP_202
        resp.media = recovery_document(recovery)
