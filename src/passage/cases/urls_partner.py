"""The partner portal under /staff/partner/: referrals and what was shared."""

from django.urls import path

from passage.cases.views import partner

app_name = "partner"

urlpatterns = [
    path("", partner.home, name="home"),
    path("refer/", partner.refer, name="refer"),
    path("cases/<uuid:case_id>/", partner.case, name="case"),
]
