"""Staff URLs of pathways: the Pathways tab of a case, programmes, the partner directory."""

from django.urls import path

from passage.pathways import views

app_name = "pathways"

CASE = "cases/<uuid:case_id>/pathways/"

urlpatterns = [
    path(CASE, views.case_pathways, name="case"),
    path(CASE + "<uuid:application_id>/", views.application_edit, name="application-edit"),
    path("pathways/programmes/", views.programme_list, name="programmes"),
    path("pathways/programmes/new/", views.programme_new, name="programme-new"),
    path(
        "pathways/programmes/<uuid:programme_id>/edit/",
        views.programme_edit,
        name="programme-edit",
    ),
    path("pathways/partners/", views.partner_list, name="partners"),
    path("pathways/partners/<uuid:partner_id>/", views.partner_detail, name="partner"),
]
