from connect.adapters.hashing.argon2 import Argon2Hasher as Argon2Hasher
from connect.adapters.hashing.argon2 import VerifiedTokenCache as VerifiedTokenCache
