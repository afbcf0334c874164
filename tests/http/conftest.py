from __future__ import annotations

import pytest
from falcon import testing

from connect.adapters.http import create_app
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES


@pytest.fixture
def client(memory_connect: Connect) -> testing.TestClient:
    return testing.TestClient(create_app(memory_connect))


@pytest.fixture
def organizer(memory_connect: Connect) -> str:
    # NOTE: key 1 is a bystander, so fuzzed DELETE/rotate of /keys/1 do not lock us out.
    memory_connect.keys.create(name="bystander", scopes=ALL_SCOPES, created_by="t")
    return memory_connect.keys.create(name="organizer", scopes=ALL_SCOPES, created_by="t").token
