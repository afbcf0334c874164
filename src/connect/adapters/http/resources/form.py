from __future__ import annotations

import falcon

from connect.adapters.http.body import read_json
from connect.adapters.http.resources import Resource
from connect.adapters.http.structure import FORM_MEMBERS, structure
from connect.domain.requests.submissions import SubmissionFields
from connect.presentation import document
from connect.presentation.submissions import FormReply
from connect.services.submissions import SubmissionService


class SpeakerForm(Resource[SubmissionService]):
    """``POST /api/submissions``: the public speakers' form (camelCase body)."""

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        fields = structure(read_json(req), SubmissionFields, FORM_MEMBERS)
        submission = self._service.submit_form(fields)
        resp.status = falcon.HTTP_201
        resp.media = document(FormReply.of(submission))
