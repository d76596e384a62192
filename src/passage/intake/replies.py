"""Reply templates for the common answers, in the person's reply language (gettext catalogues).

Staff pick one, adjust it, and send it. None of them names a place, a route, a person or a date:
nothing operational belongs in a reply before verification.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEMPLATES: dict[str, tuple[Promise, Promise]] = {
    "received": (
        _("We received your request"),
        _(
            "Thank you for writing to us. We have received your request and we are reading it. "
            "We will write again here. Please check this mailbox every few days."
        ),
    ),
    "need_info": (
        _("We need more information"),
        _(
            "Thank you for writing to us. To understand how we can help, we need to know more. "
            "Please tell us here what happened, what you fear now, and whether anyone is with "
            "you. Write only what you feel safe writing."
        ),
    ),
    "working": (
        _("We are working on it"),
        _(
            "We are working on your request. This can take time, and we will write again here "
            "when we know more. If your situation changes, write to us here at once."
        ),
    ),
    "safety": (
        _("Staying safe meanwhile"),
        _(
            "While you wait: delete messages and photos that could put you in danger, keep your "
            "documents in a safe place, and tell someone you trust how you are. We will never "
            "ask you for money or intimate photos."
        ),
    ),
}


def choices() -> list[tuple[str, str]]:
    return [(key, str(title)) for key, (title, _body) in TEMPLATES.items()]


def text(key: str, language: str) -> str:
    """The body of template ``key`` in ``language`` (empty for an unknown key)."""
    entry = TEMPLATES.get(key)
    if entry is None:
        return ""
    with translation.override(language):
        return str(entry[1])
