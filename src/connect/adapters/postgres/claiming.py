"""The statements that make deliveries due or claim them, in one round trip each.

Claims lock their candidates with ``FOR UPDATE SKIP LOCKED``: workers claiming at the
same moment each take different rows and none waits for another. Whatever makes a
delivery due also sends ``NOTIFY connect_deliveries`` (delivered at commit), which wakes
the listening workers (``connect.adapters.postgres.notifications``).
"""

from __future__ import annotations

from connect.adapters.sql.deliveries import TABLE

CHANNEL = "connect_deliveries"
DUE = "COALESCE(d.next_attempt_at, d.created_at)"

# NOTE: one statement, one round trip. `hooks` are the webhooks with claimable work,
# found by one index probe each (webhooks are few, due rows may be many); for each,
# `pending` and `expired` lock its oldest claimable rows up to its room, in index order,
# skipping rows another claimer holds; `chosen` ranks them round-robin
# (connect.domain.claims), keeps each webhook's room and `limit` in all; the UPDATE
# leases them. Rows locked but not chosen are free again at commit.
EXPIRED = "d.status = 'in_flight' AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= %(now)s)"
CLAIM = f"""
WITH hooks AS (
    SELECT w.id AS webhook_id FROM webhooks_1 w
    WHERE w.id <> ALL(%(full)s) AND (
        EXISTS (SELECT 1 FROM {TABLE} d WHERE d.webhook_id = w.id
                AND d.status = 'pending' AND d.next_attempt_at <= %(now)s)
        OR EXISTS (SELECT 1 FROM {TABLE} d WHERE d.webhook_id = w.id AND {EXPIRED}))
), rooms AS (
    SELECT h.webhook_id, COALESCE(r.room, %(per_webhook)s) AS room
    FROM hooks h
    LEFT JOIN unnest(%(room_ids)s::bigint[], %(room_sizes)s::int[]) AS r(webhook_id, room)
        USING (webhook_id)
    WHERE COALESCE(r.room, %(per_webhook)s) > 0
), pending AS (
    SELECT c.* FROM rooms, LATERAL (
        SELECT d.id, d.webhook_id, d.next_attempt_at AS due FROM {TABLE} d
        WHERE d.webhook_id = rooms.webhook_id
            AND d.status = 'pending' AND d.next_attempt_at <= %(now)s
        ORDER BY d.next_attempt_at, d.id LIMIT rooms.room
        FOR UPDATE SKIP LOCKED
    ) c
), expired AS (
    SELECT c.* FROM rooms, LATERAL (
        SELECT d.id, d.webhook_id, {DUE} AS due FROM {TABLE} d
        WHERE d.webhook_id = rooms.webhook_id AND {EXPIRED}
        ORDER BY {DUE}, d.id LIMIT rooms.room
        FOR UPDATE SKIP LOCKED
    ) c
), chosen AS (
    SELECT id FROM (
        SELECT l.id, l.due, rooms.room,
            ROW_NUMBER() OVER (PARTITION BY l.webhook_id ORDER BY l.due, l.id) AS rank
        FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) l
        JOIN rooms USING (webhook_id)
    ) ranked WHERE rank <= room ORDER BY rank, due, id LIMIT %(limit)s
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
