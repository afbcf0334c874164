"""Query parameters and body fields at the edge of their ranges are 422s, never 500s."""

from __future__ import annotations

import base64

import pytest
from falcon import testing

OUT_OF_RANGE = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"]


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("instant", OUT_OF_RANGE)
@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/submissions", "since"),
        ("/api/v1/audit", "since"),
        ("/api/v1/audit", "until"),
        ("/api/v1/exports/submissions.json", "since"),
        ("/api/v1/exports/submissions.csv", "since"),
    ],
)
def test_a_time_filter_with_no_utc_equivalent_is_a_field_problem(
    client: testing.TestClient, organizer: str, path: str, param: str, instant: str
) -> None:
    result = client.simulate_get(
        path, params={param: instant}, headers={"Authorization": f"Bearer {organizer}"}
    )
    assert result.status_code == 422, result.text
    assert result.json["errors"][0]["field"] == param
    assert "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z" in result.json["errors"][0]["message"]


@pytest.mark.parametrize("instant", OUT_OF_RANGE)
def test_a_key_expiry_with_no_utc_equivalent_is_a_field_problem(
    client: testing.TestClient, organizer: str, instant: str
) -> None:
    body = {"name": "k", "scopes": ["submissions:read"], "expires_at": instant}
    result = client.simulate_post(
        "/api/v1/keys", json=body, headers={"Authorization": f"Bearer {organizer}"}
    )
    assert result.status_code == 422
    assert result.json["errors"][0]["field"] == "expires_at"


@pytest.mark.parametrize("text", ["v1:9223372036854775808", "v1:0", "v1:" + "9" * 5000])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/submissions", "/api/v1/keys", "/api/v1/webhooks", "/api/v1/audit"],
)
def test_a_cursor_past_the_largest_id_is_the_cursor_field_problem(
    client: testing.TestClient, organizer: str, path: str, text: str
) -> None:
    result = client.simulate_get(
        path, params={"cursor": cursor(text)}, headers={"Authorization": f"Bearer {organizer}"}
    )
    assert result.status_code == 422 and result.json["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/submissions/9223372036854775808",
        "/api/v1/webhooks/9223372036854775808",
        "/api/v1/keys/9223372036854775808",
        "/api/v1/webhooks/9223372036854775808/deliveries",
    ],
)
def test_an_id_past_the_largest_is_not_found(
    client: testing.TestClient, organizer: str, path: str
) -> None:
    result = client.simulate_get(path, headers={"Authorization": f"Bearer {organizer}"})
    assert result.status_code == 404


@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "1e3", "9" * 5000])
def test_limit_and_the_audit_key_filter_take_any_text_without_failing(
    client: testing.TestClient, organizer: str, value: str
) -> None:
    auth = {"Authorization": f"Bearer {organizer}"}
    limit = client.simulate_get("/api/v1/submissions", params={"limit": value}, headers=auth)
    assert limit.status_code == 422 and limit.json["errors"][0]["field"] == "limit"
    audit = client.simulate_get("/api/v1/audit", params={"key": value}, headers=auth)
    # NOTE: a key filter naming no key is an empty page, as for any unknown key_id.
    assert audit.status_code == 200 and audit.json["data"] == []


@pytest.mark.parametrize("grace", [2**63, -1, 2_592_001, 1.5, True, "60"])
def test_grace_seconds_out_of_range_is_a_field_problem(
    client: testing.TestClient, organizer: str, grace: object
) -> None:
    result = client.simulate_post(
        "/api/v1/keys/1/rotate",
        json={"grace_seconds": grace},
        headers={"Authorization": f"Bearer {organizer}"},
    )
    assert result.status_code == 422 and result.json["errors"][0]["field"] == "grace_seconds"


@pytest.mark.parametrize(
    "query", ["since=%ED%A0%80", "cursor=%FF%FE", "limit=%00", "status=%C0%AF", "key=%ED%B0%80"]
)
@pytest.mark.parametrize("path", ["/api/v1/submissions", "/api/v1/audit"])
def test_a_query_string_that_is_not_utf8_is_a_problem_not_a_crash(
    client: testing.TestClient, organizer: str, path: str, query: str
) -> None:
    result = client.simulate_get(
        path, query_string=query, headers={"Authorization": f"Bearer {organizer}"}
    )
    assert result.status_code in (200, 422), result.text
    if result.status_code == 422:
        assert result.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("param", ["since", "until"])
def test_a_blank_audit_time_filter_is_no_filter(
    client: testing.TestClient, organizer: str, param: str
) -> None:
    auth = {"Authorization": f"Bearer {organizer}"}
    everything = client.simulate_get("/api/v1/audit", headers=auth)
    blank = client.simulate_get("/api/v1/audit", params={param: " "}, headers=auth)
    assert blank.status_code == 200, blank.text
    assert blank.json["data"] == everything.json["data"]
