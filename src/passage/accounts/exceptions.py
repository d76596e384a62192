"""The accounts package's own exceptions. Messages never contain a passphrase."""


class AccountError(Exception):
    """Base class of errors raised by passage.accounts services."""


class UsernameTaken(AccountError):
    """Another account already uses this username (usernames are case-insensitive)."""
