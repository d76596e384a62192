"""What the casework services share: checking text that staff typed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from passage.cases.exceptions import InvalidInput

MAX_TEXT = 50_000  # a pasted conversation
MAX_SHORT = 200  # with whom, a task's title


def text(value: str | None, *, required: str = "", limit: int = MAX_TEXT) -> str:
    """``value`` stripped; refused when empty (with ``required`` as the message) or too long."""
    clean = (value or "").strip()
    if required and not clean:
        raise InvalidInput(required)
    if len(clean) > limit:
        raise InvalidInput(_("This is too long (at most %(limit)d characters).") % {"limit": limit})
    return clean
