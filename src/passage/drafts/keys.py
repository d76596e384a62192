"""Form keys: which form a draft belongs to, from the page's path and a form id (no personal data).

A key is ``<path>#<form id>``, e.g. ``/staff/cases/<uuid>/story/edit/#narrative``. Only paths of
the staff console are accepted; query strings are never part of a key.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.shortcuts import resolve_url

MAX_KEY = 300
FIELD = "passage_draft"  # the hidden input that names a form's draft (see templatetags)
_FORM_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_PATH = re.compile(r"/[A-Za-z0-9/_.-]*")


def form_key(path: str, form_id: str) -> str:
    """The key of form ``form_id`` on the page at ``path``."""
    key = f"{path}#{form_id}"
    if parse(key) is None:
        raise ValueError("Not a form key of the staff console.")
    return key


def parse(key: str) -> tuple[str, str] | None:
    """(path, form id) of a well-formed key of the staff console, or None."""
    if not key or len(key) > MAX_KEY or key.count("#") != 1:
        return None
    path, form_id = key.split("#")
    staff_root = resolve_url(settings.LOGIN_URL)
    if (
        not _PATH.fullmatch(path)
        or not path.startswith(staff_root)
        or "//" in path
        or ".." in path
        or not _FORM_ID.fullmatch(form_id)
    ):
        return None
    return path, form_id


def page_of(key: str) -> str | None:
    """The page a key's form is on (where to go back to), or None for a malformed key."""
    parsed = parse(key)
    return parsed[0] if parsed else None
