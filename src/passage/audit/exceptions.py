"""The audit package's own exceptions.

Messages name the field or rule at fault, never the value: a value that breaks the rules may be
exactly the personal data the rules keep out of the log.
"""


class AuditError(Exception):
    """Base class of every error raised by passage.audit."""


class NotInTransaction(AuditError):
    """``record()`` was called in autocommit mode: the entry would not share the change's fate."""


class InvalidAuditValue(AuditError, ValueError):
    """An actor, action, object type, object id or request id breaks the format rules."""


class AppendOnly(AuditError):
    """Somebody tried to change or delete an audit entry through the ORM."""


class ChainHeadMissing(AuditError):
    """The one-row chain head is gone although entries exist: the log cannot be extended safely."""


class MalformedAnchor(AuditError, ValueError):
    """An anchor line is not of the form ``passage-audit-anchor v1 seq=N hash=HEX``."""
