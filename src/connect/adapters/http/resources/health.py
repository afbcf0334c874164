from __future__ import annotations

import falcon

from connect.adapters.http.problems import unavailable
from connect.adapters.http.resources import Resource
from connect.services.container import Services


class Health(Resource[Services]):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if not self._service.healthy():
            raise unavailable()
        resp.media = {"status": "ok"}
        resp.cache_control = ["no-store"]
