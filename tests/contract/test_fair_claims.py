"""Every delivery store claims exactly what the round-robin rule
(``connect.domain.claims.fair_claim``) says, in its order."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.domain.claims import fair_claim
from connect.domain.deliveries import DeliveryStatus
from tests.contract.test_webhook_stores import NOW, new_delivery, new_webhook

backlogs = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 120)), min_size=0, max_size=30
)  # (which webhook, seconds overdue)


def fresh_postgres(request: pytest.FixtureRequest) -> PostgresUnitOfWork:
    """The test's PostgreSQL database, emptied: one database serves every example."""
    uow = PostgresUnitOfWork(
        request.getfixturevalue("postgres_url"), secret_box=AeadSecretBox.ephemeral()
    )
    uow.migrate()
    with uow.connection() as conn:
        conn.execute("TRUNCATE webhooks_1, webhook_deliveries_1 RESTART IDENTITY CASCADE")
    return uow


@pytest.mark.parametrize("adapter", ["memory", "sqlite", "postgres"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    backlog=backlogs,
    limit=st.integers(0, 20),
    per_webhook=st.integers(0, 5),
    room=st.dictionaries(st.integers(0, 3), st.integers(0, 5), max_size=4),
)
def test_a_claim_takes_what_the_round_robin_rule_takes_in_its_order(
    request, adapter, backlog, limit, per_webhook, room
):
    with tempfile.TemporaryDirectory() as tmp:
        if adapter == "memory":
            uow = MemoryUnitOfWork()
        elif adapter == "postgres":
            uow = fresh_postgres(request)
        else:
            uow = SqliteUnitOfWork(Path(tmp) / "claims.db", secret_box=AeadSecretBox.ephemeral())
            uow.migrate()
        try:
            with uow() as stores:
                hooks = [stores.webhooks.add(new_webhook()).id for _ in range(4)]
                for n, (hook, overdue) in enumerate(backlog):
                    due = NOW - timedelta(seconds=overdue)
                    stores.deliveries.add(new_delivery(hooks[hook], due=due, event_id=f"evt_{n}"))
            rooms = {hooks[h]: n for h, n in room.items()}
            with uow(write=False) as stores:
                due = [
                    d
                    for h in hooks
                    for d in stores.deliveries.list(h, limit=100)
                    if d.status is DeliveryStatus.PENDING
                ]
            expected = fair_claim(due, limit=limit, per_webhook=per_webhook, room=rooms)
            with uow() as stores:
                claimed = stores.deliveries.claim(
                    NOW,
                    owner="w",
                    lease_until=NOW + timedelta(seconds=60),
                    limit=limit,
                    per_webhook=per_webhook,
                    room=rooms,
                )
            assert [d.id for d in claimed] == [d.id for d in expected]
        finally:
            uow.close()
