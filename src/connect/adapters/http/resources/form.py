from __future__ import annotations

import falcon

from connect.adapters.http.body import read_json
from connect.services.submissions import FORM_FIELDS, SubmissionService


class SpeakerForm:
    """``POST /api/submissions``: the public speakers' form (camelCase body)."""

    def __init__(self, submissions: SubmissionService) -> None:
        self._submissions = submissions

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        submission = self._submissions.submit_form(read_json(req, allowed=FORM_FIELDS))
        resp.status = falcon.HTTP_201
        resp.media = {
            "success": True,
            "submissionId": submission.id,
            "discordInviteLink": submission.discord_invite_link,
        }
