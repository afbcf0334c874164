"""The retry policy: when a failed attempt is tried again, and when a delivery gives up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Final

JITTER: Final = 0.2
MAX_RETRY_AFTER: Final = 10 * 3600
DEFAULT_SCHEDULE: Final = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
#: Seconds a receiver has for a whole attempt (connect, TLS, request, answer and body).
ANSWER_WITHIN: Final = 15


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    GONE = "gone"


def classify(status_code: int | None) -> Outcome:
    """2xx is success; ``410 Gone`` disables the endpoint; anything else (3xx included,
    redirects are not followed, and no answer at all) is a failure."""
    if status_code is not None and 200 <= status_code < 300:
        return Outcome.SUCCESS
    if status_code == 410:
        return Outcome.GONE
    return Outcome.FAILURE


def retry_delay(
    schedule: Sequence[int],
    attempts_made: int,
    random: Callable[[], float],
    retry_after: float | None = None,
) -> float | None:
    """Seconds to wait before the next attempt, or ``None`` when none is left.

    Args:
        schedule: per attempt, its delay after the previous failure (the first is 0).
        attempts_made: attempts already made, the failed one included (1..n).
        random: a uniform source in [0, 1) (``random.random`` in production) that moves
            the scheduled delay by up to ``JITTER`` either way.
        retry_after: the seconds the receiver asked for (``parse_retry_after``), honoured
            up to 10 hours.
    """
    if attempts_made >= len(schedule):
        return None
    if retry_after is not None and retry_after >= 0:
        return float(min(retry_after, MAX_RETRY_AFTER))
    return float(schedule[attempts_made]) * (1 - JITTER + 2 * JITTER * random())


def parse_retry_after(status_code: int | None, value: str | None, now: datetime) -> float | None:
    """The ``Retry-After`` value (seconds or an HTTP date) of a 429 or 503 answer as
    seconds from ``now``; other answers' are not honoured (``None``)."""
    if status_code not in (429, 503) or not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())
