"""The submissions' routes: the speakers' form, the API, the schedule and the exports."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.resources.exports import Export
from connect.adapters.http.resources.form import SpeakerForm
from connect.adapters.http.resources.submissions import (
    Schedule,
    SubmissionCollection,
    SubmissionItem,
)
from connect.adapters.http.routes.route import (
    EXPORT,
    PAGE,
    PUBLIC,
    READ,
    WRITE,
    Answer,
    Operation,
    Route,
    Schema,
)
from connect.domain.access import Access, Reach
from connect.domain.exports import ExportFormat
from connect.domain.exports.csv import COLUMNS, FORMULA_STARTS
from connect.domain.keys import Scope
from connect.domain.rate_limit import EXPORTS_PER_HOUR
from connect.services.rate_limits import EXPORTS, FORM

SUBMISSIONS: Final = "Submissions"


def _export(
    access: Access,
    operation_id: str,
    summary: str,
    description: str,
    media: str,
    schema: Schema,
    parameters: tuple[str, ...],
) -> Operation:
    return Operation(
        access,
        operation_id,
        summary,
        description
        + f" {EXPORTS_PER_HOUR} downloads an hour per key; a 304 does not need a new download.",
        parameters=parameters,
        answers={
            200: Answer("The export, streamed.", headers=("ETag",), media={media: schema}),
            304: Answer("Not modified since the ETag you sent."),
        },
    )


def _exports(path: str, format: ExportFormat, operation: Operation) -> Route:
    """An export's route: its resource sends the media type the operation documents, as
    the file its path names."""
    (media,) = operation.answers[200].media
    filename = path.rsplit("/", 1)[1]
    return Route(
        path,
        lambda s, d: Export(s.exports, format, media, filename),
        get=operation,
        tag="Exports",
        rate_policy=EXPORTS,
    )


_TEXT: Final = {"type": "string"}
_SPOKEN: Final = {"\t": "tab", "\r": "CR"}
_FILTERS: Final = ("since", "exportStatus", "ifNoneMatch")

ROUTES: Final = (
    Route(
        "/api/submissions",
        lambda s, d: SpeakerForm(s.submissions),
        post=Operation(
            PUBLIC,
            "submitTalk",
            "Submit a talk (the speakers' form)",
            "Public, camelCase, always live mode. 10 per 15 minutes per client IP. "
            "Sends submission.created.",
            body="SpeakerForm",
            answers={201: Answer("Stored.", "SpeakerFormReply")},
        ),
        tag=SUBMISSIONS,
        rate_policy=FORM,
        # NOTE: the Rust NYC site's own frontend posts here and shows `result.error`.
        error_member=True,
    ),
    Route(
        "/api/v1/submissions",
        lambda s, d: SubmissionCollection(s.submissions),
        get=Operation(
            READ,
            "listSubmissions",
            "List submissions",
            "Newest first, in the key's mode.",
            parameters=(*PAGE, "status", "since", "q"),
            answers={200: Answer("A page.", "SubmissionList", ("Link",))},
        ),
        post=Operation(
            WRITE,
            "createSubmission",
            "Create a submission",
            "In the key's mode. Sends submission.created. Send an Idempotency-Key to make "
            "it safe to retry.",
            parameters=("idempotencyKey",),
            body="NewSubmission",
            answers={
                201: Answer(
                    "Created (or, on a retry with the same Idempotency-Key, created before).",
                    "SubmissionDetail",
                    ("Location", "Idempotent-Replayed"),
                )
            },
        ),
        tag=SUBMISSIONS,
    ),
    Route(
        "/api/v1/submissions/{id}",
        lambda s, d: SubmissionItem(s.submissions, s.personal_data),
        get=Operation(
            READ,
            "getSubmission",
            "Get a submission",
            answers={200: Answer("The submission.", "SubmissionDetail")},
        ),
        patch=Operation(
            WRITE,
            "updateSubmission",
            "Update a submission",
            "Sends submission.updated when something changed, and talk.scheduled when a "
            "date was set or moved. The status moves only along the lifecycle: the "
            "answer's allowed_transitions lists the next moves, and any other is a 422.",
            body="SubmissionPatch",
            answers={200: Answer("The updated submission.", "SubmissionDetail")},
        ),
        # NOTE: erasure removes personal data for good: an organizer's decision.
        delete=Operation(
            Access(Scope.KEYS_MANAGE, Reach.SUBMISSIONS),
            "eraseSubmission",
            "Erase a submission",
            "Organizers only. Deletes the submission and scrubs its personal data from "
            "every stored event body, delivery payload and response snippet; deliveries "
            "of it still to be attempted are cancelled. Sends submission.deleted with the "
            "id alone. A second DELETE answers 404.",
            answers={204: Answer("Erased.")},
        ),
        tag=SUBMISSIONS,
        ids=("id",),
        parameter="submissionId",
    ),
    Route(
        "/api/v1/schedule",
        lambda s, d: Schedule(s.submissions),
        get=Operation(
            READ,
            "getSchedule",
            "The schedule",
            "Scheduled talks ordered by date (one page, next_cursor null).",
            answers={200: Answer("Scheduled talks.", "SubmissionList")},
        ),
        tag=SUBMISSIONS,
    ),
    _exports(
        "/api/v1/exports/submissions.csv",
        ExportFormat.CSV,
        _export(
            EXPORT,
            "exportCsv",
            "Export submissions as CSV",
            f"Columns {','.join(COLUMNS)}; RFC 4180; a cell starting with "
            f"{' '.join(_SPOKEN.get(c, c) for c in FORMULA_STARTS)} is prefixed with '. "
            'Content-Disposition: attachment; filename="submissions.csv".',
            "text/csv; charset=utf-8",
            _TEXT,
            _FILTERS,
        ),
    ),
    _exports(
        "/api/v1/exports/submissions.json",
        ExportFormat.JSON,
        _export(
            EXPORT,
            "exportJson",
            "Export submissions as JSON",
            "An array of submission objects (same fields as the API).",
            "application/json",
            {"type": "array", "items": {"$ref": "#/components/schemas/Submission"}},
            _FILTERS,
        ),
    ),
    _exports(
        "/api/v1/exports/schedule.ics",
        ExportFormat.ICS,
        _export(
            # NOTE: calendar clients cannot send headers, so the feed alone takes ?key=.
            Access(Scope.EXPORTS_CREATE, Reach.SUBMISSIONS, query_key=True),
            "exportCalendar",
            "The schedule as iCalendar",
            "One VEVENT per scheduled talk with a stable UID. The only endpoint that also "
            "accepts ?key=<token>, for calendar clients; the value is never logged.",
            "text/calendar; charset=utf-8",
            _TEXT,
            ("key", "ifNoneMatch"),
        ),
    ),
)
