"""Adapters: the world behind the ports (storage, HTTP, hashing, clocks, senders)."""
