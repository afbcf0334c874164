"""Encryption at rest: webhook secrets sealed with AES-GCM under a configured key."""

from connect.adapters.crypto.box import AeadSecretBox, key_id
from connect.adapters.crypto.keyring import (
    KeyRing,
    generate_key,
    key_file_for,
    load_keyring,
    write_key_file,
)

__all__ = [
    "AeadSecretBox",
    "KeyRing",
    "generate_key",
    "key_file_for",
    "key_id",
    "load_keyring",
    "write_key_file",
]
