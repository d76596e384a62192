"""Random passphrases handed out once (the first admin's; later, invitations and resets)."""

from __future__ import annotations

import secrets

# No look-alikes (0/o, 1/l/i), lower case only: easy to read aloud and to type on a phone.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS = 6
GROUP_LENGTH = 5


def generate() -> str:
    """Six dash-separated groups of five characters: about 148 bits from ``secrets``."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )
