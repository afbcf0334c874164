"""E-mail alerts: the operational events that need a person, as plain-text messages.

Only ``webhook.disabled`` and ``delivery.exhausted`` are mailed: both mean that an
integration stopped receiving something, and both have a fix (re-enable, recover).
"""

from __future__ import annotations

from typing import Any, Final

from attrs import frozen

from connect.domain.escaping import escape_controls
from connect.domain.events import Event, EventType

ALERTED: Final = frozenset({EventType.WEBHOOK_DISABLED, EventType.DELIVERY_EXHAUSTED})


@frozen
class Alert:
    subject: str
    body: str


def _text(value: Any) -> str:
    # NOTE: URLs and receivers' errors come from integrators: no control character
    # (a newline least of all) reaches a header or the reader's terminal.
    return escape_controls(str(value)) if value is not None else "-"


def alert_for(event: Event) -> Alert | None:
    """The message for ``event``, or ``None`` if it is not mailed."""
    if event.type not in ALERTED:
        return None
    webhook: dict[str, Any] = event.data.get("webhook", {})
    delivery: dict[str, Any] = event.data.get("delivery", {})
    attempt: dict[str, Any] = event.data.get("attempt", {})
    hook = _text(webhook.get("id"))
    answer = attempt.get("status_code")
    outcome = f"HTTP {answer}" if answer is not None else _text(attempt.get("error"))
    if event.type is EventType.WEBHOOK_DISABLED:
        subject = f"[Connect] webhook {hook} disabled ({event.mode.value} mode)"
        action = (
            f"Nothing is sent to it until it is re-enabled (PATCH /api/v1/webhooks/{hook} "
            '{"active": true}, or the Enable button in /admin); its deliveries are kept.'
        )
        lead = f"Webhook {hook} was disabled: {_text(event.data.get('reason'))}."
    else:
        subject = f"[Connect] delivery {_text(delivery.get('id'))} to webhook {hook} given up"
        action = (
            f"Queue it again with POST /api/v1/webhooks/{hook}/recover, "
            f"`connect webhooks recover {hook} --since ...`, or the Recover button in /admin."
        )
        lead = (
            f"Delivery {_text(delivery.get('id'))} ({_text(delivery.get('event'))}, event "
            f"{_text(delivery.get('event_id'))}) failed its last attempt "
            f"(#{_text(attempt.get('attempt'))}: {outcome})."
        )
    body = "\n".join(
        [
            lead,
            "",
            f"Webhook: {hook} {_text(webhook.get('url'))}",
            f"Mode: {event.mode.value}",
            f"Event: {event.type.value} {event.id}",
            "",
            action,
            "",
        ]
    )
    return Alert(subject=subject, body=body)
