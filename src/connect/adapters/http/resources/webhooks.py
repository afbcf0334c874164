"""Webhook routes: registration, changes, test send, secret rotation, delivery log."""

from __future__ import annotations

import falcon

from connect.adapters.http import params
from connect.adapters.http.body import read_json
from connect.domain.keys import ROTATION_FIELDS
from connect.domain.recovery import RECOVER_FIELDS
from connect.domain.webhooks import PATCHABLE, REGISTRATION_FIELDS
from connect.presentation import document, page_document, recovery_document
from connect.presentation.webhooks import (
    DeliveryDocument,
    TestSend,
    WebhookDocument,
    WebhookWithSecret,
)
from connect.services.webhooks import WebhookService

# NOTE: the test send and a redelivery take no body; a body with fields is refused
# rather than ignored, as on every other write.
NO_FIELDS: frozenset[str] = frozenset()


class WebhookCollection:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._webhooks.list(
            req.context.principal, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page, WebhookDocument.of)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        issued = self._webhooks.register(
            req.context.principal, read_json(req, allowed=REGISTRATION_FIELDS)
        )
        resp.status = falcon.HTTP_201
        resp.location = f"{req.path}/{issued.webhook.id}"
        resp.media = document(WebhookWithSecret.issued(issued.webhook, issued.secret))


class WebhookItem:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        resp.media = document(WebhookDocument.of(self._webhooks.get(req.context.principal, id)))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        webhook = self._webhooks.update(
            req.context.principal, id, read_json(req, allowed=PATCHABLE)
        )
        resp.media = document(WebhookDocument.of(webhook))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        self._webhooks.delete(req.context.principal, id)
        resp.status = falcon.HTTP_204


class WebhookTest:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        read_json(req, allow_empty=True, allowed=NO_FIELDS)
        result = self._webhooks.send_test(req.context.principal, id)
        resp.media = document(TestSend.of(result.delivery, result.attempt))


class WebhookSecretRotation:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        body = read_json(req, allow_empty=True, allowed=ROTATION_FIELDS)
        issued = self._webhooks.rotate_secret(req.context.principal, id, body.get("grace_seconds"))
        resp.media = document(WebhookWithSecret.issued(issued.webhook, issued.secret))


class WebhookDeliveries:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        page = self._webhooks.deliveries(
            req.context.principal, id, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page, DeliveryDocument.of)


class Redelivery:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        read_json(req, allow_empty=True, allowed=NO_FIELDS)
        delivery = self._webhooks.redeliver(req.context.principal, id)
        resp.status = falcon.HTTP_202
        resp.media = document(DeliveryDocument.of(delivery))


class WebhookRecovery:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        body = read_json(req, allowed=RECOVER_FIELDS)
        recovery = self._webhooks.recover(req.context.principal, id, body)
        # NOTE: 202 as Svix's recover: the deliveries are queued, not yet delivered.
        resp.status = falcon.HTTP_202
        resp.media = recovery_document(recovery)
