"""Why a draft was refused; ``str(exc)`` says why, in the user's language."""


class DraftRefused(Exception):
    """The draft is too large, has too many fields, or names no form of the console."""
