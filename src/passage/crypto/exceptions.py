"""The crypto package's own exceptions. Messages never contain key material or plaintext."""


class CryptoError(Exception):
    """Base class of every error raised by passage.crypto."""


class KeyFileError(CryptoError):
    """A key file is missing, unreadable or malformed."""


class KeyNotFound(CryptoError):
    """The key a ciphertext names does not exist (never created, or shredded)."""


class RecordShredded(KeyNotFound):
    """The record's data key was destroyed on purpose: its protected data is gone for good."""


class DecryptionFailed(CryptoError):
    """Authentication failed: wrong key, tampered ciphertext, or ciphertext moved to another row."""


class MalformedCiphertext(DecryptionFailed):
    """The bytes are not a ciphertext this version of Passage wrote."""


class SealedBoxError(CryptoError):
    """A sealed box cannot be opened with any intake key we hold."""
