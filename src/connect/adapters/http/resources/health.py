from __future__ import annotations

import falcon

from connect.adapters.http.problems import Problem
from connect.services.container import Services


class Health:
    def __init__(self, services: Services) -> None:
        self._services = services

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if not self._services.healthy():
            raise Problem(
                503, "storage-unavailable", "Storage unavailable", "the database does not answer"
            )
        resp.media = {"status": "ok"}
        resp.cache_control = ["no-store"]
