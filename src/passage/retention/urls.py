"""Staff URLs of retention (namespace ``retention``): /staff/retention/ and a case's legal hold
under /staff/cases/<case>/legal-hold/."""

from django.urls import path

from passage.retention import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.policy_list, name="policies"),
    path("cases/<uuid:case_id>/legal-hold/", views.case_hold, name="case-hold"),
]
