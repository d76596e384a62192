"""The Safety area at /staff/safety/ and the case tab "Safety" under
/staff/cases/<case>/safety/ (namespace ``safety``)."""

from django.urls import path

from passage.safety import views

app_name = "safety"

CASE = "cases/<uuid:case_id>/safety/"

urlpatterns = [
    path("safety/", views.overview, name="overview"),
    path(CASE, views.case, name="case"),
    path(CASE + "schedule/", views.schedule, name="schedule"),
    path(CASE + "check-in/", views.checkin_log, name="checkin-log"),
    path(CASE + "duress/", views.duress_record, name="duress-record"),
    path(CASE + "words/", views.words, name="words"),
    path(CASE + "duress/<uuid:duress_id>/", views.duress_decide, name="duress-decide"),
    path(CASE + "reviews/<uuid:review_id>/", views.review_close, name="review-close"),
]
