"""The statements that make deliveries due or claim them, in one round trip each.

Claims lock their candidates with ``FOR UPDATE SKIP LOCKED``: workers claiming at the
same moment each take different rows and none waits for another. Whatever makes a
delivery due also sends ``NOTIFY connect_deliveries`` (delivered at commit), which wakes
the listening workers (``connect.adapters.postgres.notifications``).
"""

from __future__ import annotations

TABLE = "webhook_deliveries_1"
ATTEMPTS = "webhook_attempts_1"
CHANNEL = "connect_deliveries"
DUE = "COALESCE(d.next_attempt_at, d.created_at)"
CLAIMABLE = """((d.status = 'pending' AND d.next_attempt_at <= %(now)s)
    OR (d.status = 'in_flight' AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= %(now)s)))
    AND d.webhook_id <> ALL(%(full)s)"""

# NOTE: one statement, one round trip. `hooks` are the webhooks with claimable work;
# for each, `locked` takes its oldest claimable rows up to its room, skipping those
# another claimer holds; `chosen` ranks them round-robin (connect.domain.claims) and
# keeps `limit`; the UPDATE leases them. Rows locked but not chosen are free at commit.
CLAIM = f"""
WITH hooks AS (
    SELECT DISTINCT d.webhook_id FROM {TABLE} d WHERE {CLAIMABLE}
), rooms AS (
    SELECT h.webhook_id, COALESCE(r.room, %(per_webhook)s) AS room
    FROM hooks h
    LEFT JOIN unnest(%(room_ids)s::bigint[], %(room_sizes)s::int[]) AS r(webhook_id, room)
        USING (webhook_id)
    WHERE COALESCE(r.room, %(per_webhook)s) > 0
), locked AS (
    SELECT c.* FROM rooms, LATERAL (
        SELECT d.id, d.webhook_id, {DUE} AS due FROM {TABLE} d
        WHERE d.webhook_id = rooms.webhook_id AND {CLAIMABLE}
        ORDER BY {DUE}, d.id LIMIT rooms.room
        FOR UPDATE SKIP LOCKED
    ) c
), chosen AS (
    SELECT id FROM (
        SELECT id, due, ROW_NUMBER() OVER (PARTITION BY webhook_id ORDER BY due, id) AS rank
        FROM locked
    ) ranked ORDER BY rank, due, id LIMIT %(limit)s
)
UPDATE {TABLE} d SET status = 'in_flight', lease_owner = %(owner)s,
    lease_expires_at = %(lease_until)s, updated_at = %(now)s
FROM chosen WHERE d.id = chosen.id
RETURNING d.*
"""


def notifying(changes: str) -> str:
    """A statement running ``changes`` (an UPDATE ... RETURNING id) that returns how
    many rows it changed and, if any, notifies the listening workers once."""
    return f"""WITH changed AS ({changes}),
        told AS (SELECT pg_notify('{CHANNEL}', '') FROM changed LIMIT 1)
    SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM told)"""
