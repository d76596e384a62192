"""The intake app's exceptions. Messages are shown as they are: to a requester (in the page's
language) or to a screener; they never contain what the person typed."""


class IntakeError(Exception):
    """Base class; ``str(exc)`` says what was refused and why."""


class InvalidInput(IntakeError):
    """Something sent is not acceptable; the form says which field."""


class SignInRefused(IntakeError):
    """The codename opens no mailbox (or sign-in is paused after many failures)."""


class TooManyAttempts(IntakeError):
    """Too many wrong codenames lately: answer 429 and ask to wait."""


class RequestNotFound(IntakeError):
    """Unknown request, or one the screener may not see (views answer 404)."""


class ActionRefused(IntakeError):
    """A screening action that does not fit the request's state."""
