"""Webhook routes: registration, changes, test send, secret rotation, delivery log."""

from __future__ import annotations

import falcon

from connect.adapters.http import params
from connect.adapters.http.body import read_json
from connect.adapters.http.resources import Resource
from connect.adapters.http.structure import structure
from connect.domain.requests.keys import NoFields, SecretRotation
from connect.domain.requests.webhooks import RecoveryRequest, WebhookPatch, WebhookRegistration
from connect.presentation import document, page_document
from connect.presentation.webhooks import (
    DeliveryDocument,
    TestSend,
    WebhookDocument,
    WebhookWithSecret,
)
from connect.services.webhooks import WebhookService


class WebhookCollection(Resource[WebhookService]):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._service.list(
            req.context.principal, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page, WebhookDocument.of)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        registration = structure(read_json(req), WebhookRegistration)
        issued = self._service.register(req.context.principal, registration)
        resp.status = falcon.HTTP_201
        resp.location = f"{req.path}/{issued.webhook.id}"
        resp.media = document(WebhookWithSecret.issued(issued.webhook, issued.secret))


class WebhookItem(Resource[WebhookService]):
    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        resp.media = document(WebhookDocument.of(self._service.get(req.context.principal, id)))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        patch = structure(read_json(req), WebhookPatch)
        webhook = self._service.update(req.context.principal, id, patch)
        resp.media = document(WebhookDocument.of(webhook))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        self._service.delete(req.context.principal, id)
        resp.status = falcon.HTTP_204


class WebhookTest(Resource[WebhookService]):
    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        # NOTE: no body; a body with fields is refused rather than ignored.
        structure(read_json(req, allow_empty=True), NoFields)
        result = self._service.send_test(req.context.principal, id)
        resp.media = document(TestSend.of(result.delivery, result.attempt))


class WebhookSecretRotation(Resource[WebhookService]):
    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        body = structure(read_json(req, allow_empty=True), SecretRotation)
        issued = self._service.rotate_secret(req.context.principal, id, body.grace_seconds)
        resp.media = document(WebhookWithSecret.issued(issued.webhook, issued.secret))


class WebhookDeliveries(Resource[WebhookService]):
    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        page = self._service.deliveries(
            req.context.principal, id, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page, DeliveryDocument.of)


class Redelivery(Resource[WebhookService]):
    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        structure(read_json(req, allow_empty=True), NoFields)
        delivery = self._service.redeliver(req.context.principal, id)
        resp.status = falcon.HTTP_202
        resp.media = document(DeliveryDocument.of(delivery))


class WebhookRecovery(Resource[WebhookService]):
    def on_post(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        request = structure(read_json(req), RecoveryRequest)
        recovery = self._service.recover(req.context.principal, id, request)
        # NOTE: 202 as Svix's recover: the deliveries are queued, not yet delivered.
        resp.status = falcon.HTTP_202
        resp.media = document(recovery)
