"""Staff URLs of letters and dossiers (namespace ``dossiers``): the admin pages of templates
under /staff/admin/letters/ and a case's Letters tab under /staff/cases/<case>/letters/."""

from django.urls import path

from passage.dossiers.views import admin, case

app_name = "dossiers"

LETTERS = "cases/<uuid:case_id>/letters/"

urlpatterns = [
    path("admin/letters/", admin.templates, name="templates"),
    path("admin/letters/new/", admin.template_new, name="template-new"),
    path("admin/letters/<uuid:template_id>/edit/", admin.template_edit, name="template-edit"),
    path(LETTERS, case.letters, name="letters"),
    path(LETTERS + "<uuid:template_id>/pdf/", case.letter_make, name="letter-make"),
]
