"""Staff URLs of documents under /staff/cases/<case>/documents/."""

from django.urls import path

from passage.documents import views

app_name = "documents"

CASE = "cases/<uuid:case_id>/"

urlpatterns = [
    path(CASE + "documents/", views.document_list, name="documents"),
    path(CASE + "documents/<uuid:document_id>/edit/", views.document_edit, name="document-edit"),
]
