"""Our static files: content-hashed names once collected, served by the app itself.

Production has no separate static server (one process serves everything, maybe over an onion
service), so ``/static/`` is a view of ours. It serves only what ``collectstatic`` put in
``STATIC_ROOT``; hashed names may be cached for a year because their content never changes.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, staticfiles_storage
from django.core.files.storage import storages

LONG_CACHE = "public, max-age=31536000, immutable"
# Unhashed names (collected before hashing, or before collectstatic ran) must be revalidated.
SHORT_CACHE = "public, no-cache"


class PassageStaticFilesStorage(ManifestStaticFilesStorage):
    """``ManifestStaticFilesStorage`` that falls back to plain names while nothing is collected.

    Development and tests never run ``collectstatic``; there is no manifest and ``{% static %}``
    returns the plain name (served by ``runserver`` or the test live server from the app
    directories). Once a manifest exists, a name missing from it is an error, as in Django.
    """

    keep_intermediate_files = False

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)


def manifest_present() -> bool:
    """True when ``collectstatic`` has written the manifest of hashed names."""
    storage = storages["staticfiles"]  # the instance itself, not the lazy proxy
    if not isinstance(storage, ManifestStaticFilesStorage):
        return True
    return bool(storage.exists(storage.manifest_name))


def cache_control_for(path: str) -> str:
    """The Cache-Control value for a collected file: long only for content-hashed names."""
    hashed_files: dict[str, str] = getattr(staticfiles_storage, "hashed_files", None) or {}
    # A few dozen files: a scan per request is cheaper than keeping a second index in sync.
    if path in hashed_files.values():
        return LONG_CACHE
    return SHORT_CACHE


def is_servable(path: str) -> bool:
    """Whether ``path`` (relative to STATIC_ROOT) may be served: no dot-files, no manifest."""
    parts = path.split("/")
    if any(part.startswith(".") or part == "" for part in parts):
        return False
    return path != getattr(staticfiles_storage, "manifest_name", "staticfiles.json")
