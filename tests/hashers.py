from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with minimal cost, for speed in tests only; the algorithm stays the same."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
