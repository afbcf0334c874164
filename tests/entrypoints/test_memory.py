from __future__ import annotations

import platform

from connect.entrypoints.serve import return_large_blocks


def test_large_blocks_are_returned_to_the_system_on_glibc() -> None:
    taken = return_large_blocks()
    assert taken is (platform.libc_ver()[0] == "glibc")
