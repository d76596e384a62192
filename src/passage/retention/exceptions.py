"""Errors of the retention app: messages are safe to show (no personal data)."""

from __future__ import annotations


class RetentionError(Exception):
    """Base class."""


class NotAllowed(RetentionError):
    """The actor may not do this."""


class InvalidInput(RetentionError):
    """The input is not acceptable; the message says why."""
