"""The request id that audit entries carry when the caller does not pass one.

The core middleware (which audit must not import) sets this for the duration of a request.
"""

from __future__ import annotations

from contextvars import ContextVar

current_request_id: ContextVar[str | None] = ContextVar("passage_audit_request_id", default=None)
