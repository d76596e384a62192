"""Is the visitor's page passing through someone else's servers? Judged from the request's
headers, never stored: the answer only decides whether the page shows a warning.

Data-saving proxy browsers (Opera Mini in extreme mode, UC Browser's and Puffin's cloud modes)
render the page, and everything typed into it, on the vendor's servers. In-app browsers
(Facebook, Instagram, TikTok, WeChat, LINE, Snapchat) run inside an app that can read the page.
"""

from __future__ import annotations

from django.http import HttpRequest

PROXY = "proxy"
IN_APP = "in_app"

_PROXY_HEADERS = (
    "HTTP_X_OPERAMINI_PHONE_UA",
    "HTTP_X_OPERAMINI_FEATURES",
    "HTTP_X_OPERAMINI_PHONE",
)
_PROXY_AGENTS = ("opera mini", "operamini", "ucbrowser", "ucweb", "puffin", "opera mobi/ucweb")
_IN_APP_AGENTS = (
    "fban",
    "fbav",
    "fb_iab",
    "instagram",
    "musical_ly",
    "bytedancewebview",
    "micromessenger",
    " line/",
    "snapchat",
    "twitter for",
)


def detect(request: HttpRequest) -> str | None:
    """``"proxy"``, ``"in_app"`` or None."""
    if any(name in request.META for name in _PROXY_HEADERS):
        return PROXY
    agent = request.META.get("HTTP_USER_AGENT", "").casefold()[:512]
    if any(marker in agent for marker in _PROXY_AGENTS):
        return PROXY
    if any(marker in agent for marker in _IN_APP_AGENTS):
        return IN_APP
    return None
