"""Connect inside another Python program: keys, submissions and the WSGI app.

.venv/bin/python examples/embedding.py
"""

from __future__ import annotations

from falcon import testing

from connect import Connect, Mode, Scope, create_app
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch


def main() -> None:
    connect = Connect.in_memory()
    issued = connect.keys.create(
        name="notion-sync",
        scopes=frozenset({Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE}),
        mode=Mode.LIVE,
        created_by="example",
    )
    caller = connect.keys.authenticate(issued.token)
    submission = connect.submissions.create(
        caller, SubmissionFields(speaker_name="Ferris", talk_context="Async Rust in production")
    )
    connect.submissions.update(caller, submission.id, SubmissionPatch(scheduled_date="2026-03-18"))
    connect.submissions.submit_form(
        SubmissionFields(speaker_name="Corro", talk_context="Unsafe, safely")
    )
    page = connect.submissions.list(caller, limit=50)
    print("library:", [(s.id, s.speaker_name, s.status.value) for s in page.items])

    # The same services over HTTP, here through Falcon's test client.
    client = testing.TestClient(create_app(connect))
    reply = client.simulate_get(
        "/api/v1/schedule", headers={"Authorization": f"Bearer {issued.token}"}
    )
    print("http:", reply.status, [t["speaker_name"] for t in reply.json["data"]])
    connect.close()


if __name__ == "__main__":
    main()
