"""The event feed in PostgreSQL (``events_1``)."""

from __future__ import annotations

from typing import Any, Final

import psycopg

from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.sql.events import COLUMNS, INSERT, SqlEventStore

# NOTE: any constant no other advisory lock uses ("feed"); schema.py's migration lock
# is "conn".
FEED_LOCK: Final = 0x66656564

# NOTE: positions come from a sequence, and sequence values are handed out at insert
# but become visible at commit: a transaction that took position 10 can commit after
# one that took 11, and a reader that saw 11 and polls ``after=11`` would never see 10.
# So an append first takes a transaction-level advisory lock, held until commit or
# rollback (PostgreSQL makes the commit visible before it releases the lock): positions
# are then taken and made visible in the same order. The cost: transactions that emit
# events run their last part one at a time, from their first event to their commit
# (writes that emit no event, and every read, are not held). The lock is taken in the
# insert itself: no extra round trip.
_ADD: Final = f"""
WITH feed AS (SELECT pg_advisory_xact_lock({FEED_LOCK}))
{INSERT}
SELECT %s, %s, %s, %s, %s, %s FROM feed
RETURNING {COLUMNS}"""


class PostgresEventStore(SqlEventStore):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        super().__init__(conn.execute, POSTGRES, _ADD)
