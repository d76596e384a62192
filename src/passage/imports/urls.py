"""URLs of imports under /staff/imports/ (namespace ``imports``)."""

from django.urls import path

from passage.imports import views

app_name = "imports"

JOB = "<uuid:job_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path(JOB, views.job, name="job"),
    path(JOB + "mapping/", views.mapping, name="mapping"),
    path(JOB + "start/", views.start, name="start"),
    path(JOB + "abandon/", views.abandon, name="abandon"),
]
