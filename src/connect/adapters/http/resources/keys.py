from __future__ import annotations

from typing import Any

import falcon

from connect.adapters.http import params
from connect.adapters.http.body import read_json
from connect.domain.errors import ValidationFailed
from connect.domain.keys import (
    CREATION_FIELDS,
    ROTATION_FIELDS,
    parse_grace_seconds,
    parse_mode,
    parse_name,
    parse_scopes,
)
from connect.domain.time import RANGE_MESSAGE, OutOfRange, parse_instant
from connect.presentation import document, page_document
from connect.services.keys import IssuedKey, KeyService


def issued_document(issued: IssuedKey) -> dict[str, Any]:
    return {**document(issued.key), "token": issued.token}


class KeyCollection:
    def __init__(self, keys: KeyService) -> None:
        self._keys = keys

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._keys.list(
            req.context.principal, limit=params.limit(req), cursor=req.get_param("cursor")
        )
        params.link_next(req, resp, page.next_cursor)
        resp.media = page_document(page)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, allowed=CREATION_FIELDS)
        principal = req.context.principal
        expires = body.get("expires_at")
        try:
            expires_at = parse_instant(expires) if expires is not None else None
        except OutOfRange:
            raise ValidationFailed.single("expires_at", RANGE_MESSAGE) from None
        except (ValueError, AttributeError, TypeError):
            raise ValidationFailed.single(
                "expires_at", "must be an ISO 8601 datetime like 2026-12-31T00:00:00Z"
            ) from None
        issued = self._keys.create(
            name=parse_name(body.get("name")),
            scopes=parse_scopes(body.get("scopes")),
            mode=parse_mode(body["mode"]) if "mode" in body else principal.mode,
            expires_at=expires_at,
            created_by=principal.key_id,
            granter=principal,
        )
        resp.status = falcon.HTTP_201
        resp.location = f"{req.path}/{issued.key.id}"
        resp.media = issued_document(issued)


class KeyItem:
    def __init__(self, keys: KeyService) -> None:
        self._keys = keys

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: str) -> None:
        resp.media = document(self._keys.get(req.context.principal, id))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, id: str) -> None:
        resp.media = document(self._keys.revoke(req.context.principal, id))


class KeyRotation:
    def __init__(self, keys: KeyService) -> None:
        self._keys = keys

    def on_post(self, req: falcon.Request, resp: falcon.Response, id: str) -> None:
        body = read_json(req, allow_empty=True, allowed=ROTATION_FIELDS)
        issued = self._keys.rotate(
            req.context.principal, id, grace_seconds=parse_grace_seconds(body.get("grace_seconds"))
        )
        resp.status = falcon.HTTP_201
        resp.location = f"/api/v1/keys/{issued.key.id}"
        resp.media = issued_document(issued)
