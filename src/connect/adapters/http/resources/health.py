from __future__ import annotations

from typing import Literal

import falcon
from attrs import frozen

from connect.adapters.http.problems import unavailable
from connect.adapters.http.resources import Resource
from connect.presentation import document
from connect.services.container import Services


@frozen
class HealthDocument:
    """The health check's answer while storage answers."""

    status: Literal["ok"]


class Health(Resource[Services]):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if not self._service.healthy():
            raise unavailable()
        resp.media = document(HealthDocument("ok"))
        resp.cache_control = ["no-store"]
