"""Process-wide memory settings for the long-running processes."""

from __future__ import annotations

import ctypes

#: glibc's ``M_MMAP_THRESHOLD`` (malloc.h).
_M_MMAP_THRESHOLD = -3


def return_large_blocks(threshold: int = 4 * 1024 * 1024) -> bool:
    """Make ``malloc`` serve blocks of ``threshold`` bytes or more with their own
    mapping, handed back to the system on ``free``. True if the C library took it.

    NOTE: argon2 allocates its 19 MiB per verification with ``malloc``. glibc's
    default threshold starts at 128 KiB but rises (up to 32 MiB) after the first such
    block is freed, and from then on each request thread keeps a freed 19 MiB in its
    own arena: peak memory grew with the thread count (8 x 19 MiB), not with the two
    verifications allowed at once (bench/argon2_memory.py: 199 MB -> 86 MB peak). A
    fixed threshold keeps large blocks out of the arenas; Python's small objects
    never reach it. A no-op where the C library has no ``mallopt`` (not glibc).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold))
