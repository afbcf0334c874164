from connect.adapters.hashing.argon2 import Argon2Hasher, VerifiedTokenCache

__all__ = ["Argon2Hasher", "VerifiedTokenCache"]
