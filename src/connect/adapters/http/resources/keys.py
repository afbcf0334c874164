from __future__ import annotations

import falcon

from connect.adapters.http import params
from connect.adapters.http.body import read_json
from connect.adapters.http.resources import Resource
from connect.adapters.http.structure import structure
from connect.domain.requests.keys import KeyRequest, SecretRotation
from connect.presentation import document, page_document
from connect.presentation.keys import IssuedKeyDocument
from connect.services.keys import KeyService


class KeyCollection(Resource[KeyService]):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._service.list(
            req.context.principal, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = structure(read_json(req), KeyRequest)
        principal = req.context.principal
        issued = self._service.create(
            name=body.name,
            scopes=body.scopes,
            mode=body.mode or principal.mode,
            expires_at=body.expires_at,
            created_by=principal.key_id,
            granter=principal,
        )
        resp.status = falcon.HTTP_201
        resp.location = f"{req.path}/{issued.key.id}"
        resp.media = document(IssuedKeyDocument.issued(issued.key, issued.token))


class KeyItem(Resource[KeyService]):
    def on_get(self, req: falcon.Request, resp: falcon.Response, id: str) -> None:
        resp.media = document(self._service.get(req.context.principal, id))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, id: str) -> None:
        resp.media = document(self._service.revoke(req.context.principal, id))


class KeyRotation(Resource[KeyService]):
    def on_post(self, req: falcon.Request, resp: falcon.Response, id: str) -> None:
        body = structure(read_json(req, allow_empty=True), SecretRotation)
        issued = self._service.rotate(req.context.principal, id, grace_seconds=body.grace_seconds)
        resp.status = falcon.HTTP_201
        resp.location = f"/api/v1/keys/{issued.key.id}"
        resp.media = document(IssuedKeyDocument.issued(issued.key, issued.token))
