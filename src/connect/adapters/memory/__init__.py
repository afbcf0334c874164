"""In-memory adapters: honest implementations of every storage port, for tests and
embedders (the test doubles for time, randomness, hashing and sending are in
``connect.testing``)."""

from connect.adapters.memory.unit_of_work import MemoryUnitOfWork

__all__ = ["MemoryUnitOfWork"]
