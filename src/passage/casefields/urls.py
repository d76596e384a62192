"""URLs of admin-defined fields under /staff/: the admin pages and a case's "More details"."""

from django.urls import path

from passage.casefields.views import admin, case

app_name = "casefields"

CASE = "cases/<uuid:case_id>/"
FIELD = "admin/fields/<uuid:definition_id>/"

urlpatterns = [
    path("admin/fields/", admin.fields, name="fields"),
    path("admin/fields/new/", admin.field_new, name="field-new"),
    path(FIELD + "edit/", admin.field_edit, name="field-edit"),
    path(FIELD + "move/", admin.field_move, name="field-move"),
    path(FIELD + "retire/", admin.field_retire, name="field-retire"),
    path(FIELD + "reinstate/", admin.field_reinstate, name="field-reinstate"),
    path(CASE + "details/", case.case_details, name="case-details"),
    path(CASE + "details/<slug:section>/edit/", case.section_edit, name="section-edit"),
    path(CASE + "export/", case.case_export, name="case-export"),
]
