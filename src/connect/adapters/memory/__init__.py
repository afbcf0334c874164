"""In-memory adapters: honest implementations of every port, for tests and embedders."""

from connect.adapters.memory.hashing import Sha256Hasher
from connect.adapters.memory.sender import RecordingSender
from connect.adapters.memory.system import FixedEntropy, ManualClock
from connect.adapters.memory.unit_of_work import MemoryUnitOfWork

__all__ = ["FixedEntropy", "ManualClock", "MemoryUnitOfWork", "Sha256Hasher"]
__all__ += ["RecordingSender"]
