"""Staff URLs of case files, under /staff/cases/<case>/files/ (namespace ``casefiles``)."""

from django.urls import path

from passage.casefiles import views

app_name = "casefiles"

FILES = "cases/<uuid:case_id>/files/"

urlpatterns = [
    path(FILES, views.case_files, name="files"),
    path(FILES + "add/", views.file_add, name="file-add"),
    path(FILES + "<uuid:file_id>/download/", views.file_download, name="file-download"),
    path(FILES + "<uuid:file_id>/remove/", views.file_remove, name="file-remove"),
]
