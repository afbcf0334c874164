"""Encryption at rest: webhook secrets sealed with AES-GCM under a configured key."""

from connect.adapters.crypto.box import AeadSecretBox as AeadSecretBox
from connect.adapters.crypto.box import key_id as key_id
from connect.adapters.crypto.keyring import KeyRing as KeyRing
from connect.adapters.crypto.keyring import generate_key as generate_key
from connect.adapters.crypto.keyring import load_keyring as load_keyring
from connect.adapters.crypto.keyring import write_key_file as write_key_file
