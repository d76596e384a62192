"""intake.proxies: proxy and in-app browsers are told apart from the request's headers."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from passage.intake import proxies

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
TOR = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
OPERA_MINI = (
    "Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16"
)
UC = (
    "Mozilla/5.0 (Linux; U; Android 10; en-US; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36"
)
FACEBOOK = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.35.107;FBBV/612345678;FBDV/iPhone15,2]"
)
INSTAGRAM = (
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/125.0.0.0 Mobile Safari/537.36 Instagram 334.0.0.42.95 Android"
)
TIKTOK = (
    "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 "
    "Mobile Safari/537.36 trill_2023405030 JsSdk/1.0 NetType/WIFI musical_ly_2023405030 "
    "BytedanceWebview/d8a21c6"
)


def detect(agent: str | None = None, **headers: str) -> str | None:
    meta = dict(headers)
    if agent is not None:
        meta["HTTP_USER_AGENT"] = agent
    return proxies.detect(RequestFactory().get("/", **meta))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "header", ["HTTP_X_OPERAMINI_PHONE_UA", "HTTP_X_OPERAMINI_FEATURES", "HTTP_X_OPERAMINI_PHONE"]
)
def test_opera_minis_own_headers_mean_a_proxy(header: str) -> None:
    assert detect(FIREFOX, **{header: "Nokia"}) == proxies.PROXY


@pytest.mark.parametrize("agent", [OPERA_MINI, UC])
def test_proxy_browsers_by_their_user_agent(agent: str) -> None:
    assert detect(agent) == proxies.PROXY


@pytest.mark.parametrize("agent", [FACEBOOK, INSTAGRAM, TIKTOK])
def test_in_app_browsers_by_their_user_agent(agent: str) -> None:
    assert detect(agent) == proxies.IN_APP


@pytest.mark.parametrize("agent", [FIREFOX, TOR, CHROME_ANDROID, "", None])
def test_ordinary_browsers_get_no_warning(agent: str | None) -> None:
    assert detect(agent) is None


def test_the_marker_is_matched_whatever_its_case() -> None:
    assert detect("Mozilla/5.0 OPERA MINI/7") == proxies.PROXY
    assert detect("Mozilla/5.0 instagram 300") == proxies.IN_APP
