"""How many attempts one endpoint may have in flight: slots it earns by answering.

An endpoint starts with one slot. Every attempt that ends in less than ``slow`` seconds
(answered, whatever the status, or refused at once) doubles its slots, up to the cap;
every attempt that takes ``slow`` seconds or more (a timeout, a hanging or dribbling
receiver) halves them, down to one. So an endpoint that never answers holds one worker
thread however many events queue for it, and a healthy one is back at the cap after a
few quick answers. Durations are plain seconds, given by the caller.
"""

from __future__ import annotations

from typing import Final

STARTING_SLOTS: Final = 1


def slots_after(slots: int, cap: int, seconds: float, slow: float) -> int:
    """An endpoint's ``slots`` after one attempt that took ``seconds``, given the
    ``cap`` (the most any endpoint may have) and the ``slow`` limit."""
    cap = max(1, cap)
    current = min(max(1, slots), cap)
    if seconds >= slow:
        return max(1, current // 2)
    return min(cap, current * 2)
