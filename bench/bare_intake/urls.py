"""The production URL tree with the bench's bare first step in front of it."""

from bench.bare_intake import views
from django.conf import settings
from django.urls import URLPattern, URLResolver, re_path

from passage import urls as production

LANG = "(?P<lang>" + "|".join(code for code, _name in settings.LANGUAGES) + ")"
BARE_PATH = "bench-bare/request/"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(rf"^{LANG}/{BARE_PATH}$", views.bare_request_submit, name="bench-bare-request"),
    *production.urlpatterns,
]

handler400 = production.handler400
handler403 = production.handler403
handler404 = production.handler404
handler500 = production.handler500
