"""CSRF checking that works with ``Referrer-Policy: no-referrer``.

Under that policy browsers send ``Origin: null`` on same-origin form posts (Fetch standard,
"serializing a request origin"), which Django's origin check refuses. For those requests only,
the browser's own ``Sec-Fetch-Site`` header decides: a cross-site or same-site post is refused;
``same-origin`` (or a browser too old to send the header) goes on to Django's token check, which
together with the SameSite=Strict cookie is the real defence.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware


class PassageCsrfViewMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null":
            site: str = request.META.get("HTTP_SEC_FETCH_SITE", "same-origin")
            return site == "same-origin"
        verified: bool = super()._origin_verified(request)  # type: ignore[misc]
        return verified
