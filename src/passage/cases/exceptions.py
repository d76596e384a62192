"""The cases app's own exceptions. Messages are safe to show to the acting staff member: they
never contain personal data, only what was refused and why."""


class CaseError(Exception):
    """Base class: a case action was refused; ``str(exc)`` says why, in the user's language."""


class CaseNotFound(CaseError):
    """The case does not exist or the actor may not see it (views answer 404)."""


class NotAllowed(CaseError):
    """The actor may see the case but not do this to it."""


class TransitionRefused(CaseError):
    """The workflow does not allow this move (or a condition of it is not met)."""


class ApprovalRefused(CaseError):
    """A four-eyes or emergency approval step was refused."""


class ConsentMissing(CaseError):
    """No recorded consent covers sharing this with this recipient."""


class MergeRefused(CaseError):
    """Two cases cannot be merged (or marked distinct) as asked."""


class InvalidInput(CaseError):
    """A value the caller passed is not acceptable (the form should have caught it)."""
