"""The ``error`` member: a problem told as the sentence a speaker reads on the form.

The Rust NYC site's own frontend posts the speakers' form and, when it fails, shows
``result.error`` (or a generic "Failed to submit"). Problems answered on routes that
ask for it (``Route.error_member``) carry this sentence as an RFC 9457 extension
member beside ``detail``, so that frontend keeps working unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

#: What the form's fields are called on the page.
LABELS: Final = {
    "speakerName": "Speaker name",
    "talkContext": "Talk context",
    "isOnBehalf": "On behalf",
    "submitterName": "Submitter name",
}


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _label(field: str) -> str:
    # NOTE: a field the page does not have (a misspelt one) is quoted as sent: its
    # spelling is the point of the message.
    return LABELS.get(field, f"'{field}'")


def _wait(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def error_sentence(problem: Mapping[str, Any]) -> str:
    """One or more sentences saying what went wrong, for a person, never empty.

    Field problems name the field as the page labels it ("Speaker name must not be
    blank."); a rate limit says how long to wait; anything else is the ``detail``.

    Args:
        problem: an RFC 9457 problem object (``title``, ``status``, ``detail``, and
            ``errors`` or ``retry_after`` when it has them).
    """
    errors = problem.get("errors") or ()
    if errors:
        return " ".join(_sentence(f"{_label(e['field'])} {e['message']}") for e in errors)
    retry_after = problem.get("retry_after")
    if problem.get("status") == 429 and isinstance(retry_after, int):
        return (
            "Too many submissions from your address in a short time; "
            f"please try again in {_wait(max(retry_after, 1))}."
        )
    detail = _sentence(str(problem.get("detail") or ""))
    return detail or _sentence(str(problem.get("title") or "")) or "The request failed."
