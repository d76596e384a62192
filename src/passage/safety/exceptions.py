"""Refusals of the safety services (shown to staff as form errors)."""

from passage.cases.exceptions import CaseError


class SafetyError(CaseError):
    """A safety action was refused; the message says why, in the user's language."""
