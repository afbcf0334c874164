from __future__ import annotations

import falcon

from connect.adapters.http import params
from connect.adapters.http.body import read_json
from connect.adapters.http.resources import Resource
from connect.adapters.http.structure import structure
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.presentation import detail_document, json_page, list_document
from connect.services.personal_data import PersonalDataService
from connect.services.submissions import SubmissionService

IDEMPOTENCY_KEY = "Idempotency-Key"


class SubmissionCollection(Resource[SubmissionService]):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._service.list_json(
            req.context.principal,
            limit=params.limit(req),
            cursor=req.get_param("cursor"),
            status=req.get_param("status"),
            since=req.get_param("since"),
            q=req.get_param("q"),
        )
        params.link_next(req, resp, page.next_cursor)
        resp.content_type = falcon.MEDIA_JSON
        resp.text = json_page(page)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        fields = structure(read_json(req), SubmissionFields)
        key = req.get_header(IDEMPOTENCY_KEY)
        if key is None:
            submission = self._service.create(req.context.principal, fields)
        else:
            created = self._service.create_once(req.context.principal, fields, key)
            submission = created.submission
            if created.replayed:
                resp.set_header("Idempotent-Replayed", "true")
        resp.status = falcon.HTTP_201
        resp.location = f"{req.path}/{submission.id}"
        resp.media = detail_document(submission)


class SubmissionItem:
    def __init__(self, submissions: SubmissionService, personal_data: PersonalDataService) -> None:
        self._submissions = submissions
        self._personal_data = personal_data

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        resp.media = detail_document(self._submissions.get(req.context.principal, id))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        patch = structure(read_json(req), SubmissionPatch)
        resp.media = detail_document(self._submissions.update(req.context.principal, id, patch))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        """Erasure: the submission and every stored copy of its personal data."""
        self._personal_data.erase(req.context.principal, id)
        resp.status = falcon.HTTP_204


class Schedule(Resource[SubmissionService]):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = list_document(self._service.schedule(req.context.principal))
