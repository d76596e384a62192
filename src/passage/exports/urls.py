"""URLs of exports under /staff/exports/ (namespace ``exports``)."""

from django.urls import path

from passage.exports import views

app_name = "exports"

EXPORT = "<uuid:export_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("redacted/", views.redacted, name="redacted"),
    path("full/new/", views.full_new, name="full-new"),
    path(EXPORT, views.export, name="export"),
    path(EXPORT + "approve/", views.approve, name="approve"),
    path(EXPORT + "refuse/", views.refuse, name="refuse"),
    path(EXPORT + "download/", views.download, name="download"),
]
