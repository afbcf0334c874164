from __future__ import annotations

import falcon

from connect.adapters.http.problems import unavailable
from connect.services.container import Services


class Health:
    def __init__(self, services: Services) -> None:
        self._services = services

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if not self._services.healthy():
            raise unavailable()
        resp.media = {"status": "ok"}
        resp.cache_control = ["no-store"]
