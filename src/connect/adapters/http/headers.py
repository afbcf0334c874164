"""Headers every answer carries, whichever resource (or error handler) made it.

- ``X-Content-Type-Options: nosniff`` on every answer: a browser never reads a JSON
  body, a CSV export or a problem as HTML or script.
- ``Cache-Control: no-store`` on every ``/api/v1`` answer whose resource did not choose
  its own caching. Tokens (key create and rotate) and webhook secrets (create and
  rotate-secret) are in such answers, and so is organizer data; one rule for the whole
  API cannot miss a route added later. The exports keep their ``private, no-cache``:
  they carry no secret and are revalidated with ``ETag``.
"""

from __future__ import annotations

import falcon

API_PREFIX = "/api/v1"


def in_api(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


class SafetyHeaders:
    """Falcon middleware adding ``nosniff`` everywhere and ``no-store`` on the API."""

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, succeeded: bool
    ) -> None:
        resp.set_header("X-Content-Type-Options", "nosniff")
        if in_api(req.path) and resp.get_header("Cache-Control") is None:
            resp.set_header("Cache-Control", "no-store")
