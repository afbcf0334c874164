"""Converting between rows and domain values: times as ISO text with ``Z``, sets as JSON."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Final

from connect.adapters.sql.dialect import Dialect
from connect.domain.keys import ApiKey, Scope
from connect.domain.mode import Mode
from connect.domain.submissions import Status, Submission
from connect.domain.time import format_instant, parse_instant


def instant(value: datetime | None) -> str | None:
    return format_instant(value) if value is not None else None


def moment(text: str | None) -> datetime | None:
    return parse_instant(text) if text else None


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


SQLITE: Final = Dialect(
    mark="?", arrays=False, instant=instant, at=parse_instant, moment=moment, day=day
)


def submission_from_row(row: dict[str, Any]) -> Submission:
    created = parse_instant(row["created_at"])
    return Submission(
        id=row["id"],
        speaker_name=row["speaker_name"],
        talk_context=row["talk_context"],
        is_on_behalf=bool(row["is_on_behalf"]),
        submitter_name=row["submitter_name"],
        discord_channel_id=row["discord_channel_id"],
        discord_invite_link=row["discord_invite_link"],
        status=Status(row["status"]),
        scheduled_date=date.fromisoformat(row["scheduled_date"]) if row["scheduled_date"] else None,
        mode=Mode(row["mode"]),
        created_at=created,
        updated_at=moment(row["updated_at"]) or created,
        schedule_sequence=row["schedule_sequence"],
    )


def key_from_row(row: dict[str, Any]) -> ApiKey:
    return ApiKey(
        id=row["id"],
        key_id=row["key_id"],
        key_hash=row["key_hash"],
        name=row["name"],
        scopes=frozenset(Scope(s) for s in json.loads(row["scopes"])),
        mode=Mode(row["mode"]),
        created_by=row["created_by"],
        created_at=parse_instant(row["created_at"]),
        expires_at=moment(row["expires_at"]),
        last_used_at=moment(row["last_used_at"]),
        revoked_at=moment(row["revoked_at"]),
    )
