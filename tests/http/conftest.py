from __future__ import annotations

import pytest
from falcon import testing

from connect.adapters.http import create_app
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES


@pytest.fixture(params=["memory", "sqlite"])
def connect(request: pytest.FixtureRequest) -> Connect:
    """The app's services over each storage: SQLite has limits memory has not."""
    name = "memory_connect" if request.param == "memory" else "sqlite_connect"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def client(connect: Connect) -> testing.TestClient:
    return testing.TestClient(create_app(connect))


@pytest.fixture
def organizer(connect: Connect) -> str:
    # NOTE: key 1 is a bystander, so fuzzed DELETE/rotate of /keys/1 do not lock us out.
    connect.keys.create(name="bystander", scopes=ALL_SCOPES, created_by="t")
    return connect.keys.create(name="organizer", scopes=ALL_SCOPES, created_by="t").token
