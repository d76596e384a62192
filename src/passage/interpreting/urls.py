"""Interpreter pages under /staff/interpret/, and giving a case an interpreter."""

from django.urls import path

from passage.interpreting import views

app_name = "interpret"

CASE = "<uuid:case_id>/"

urlpatterns = [
    path("", views.my_cases, name="list"),
    path(CASE, views.case_narrative, name="case"),
    path(CASE + "messages/", views.case_messages, name="messages"),
    path(CASE + "contacts/", views.case_contacts, name="contacts"),
    path(
        CASE + "translate/<slug:kind>/<uuid:source_id>/",
        views.translation_add,
        name="translation-add",
    ),
    path(
        CASE + "translations/<uuid:translation_id>/",
        views.translation_edit,
        name="translation-edit",
    ),
    path(CASE + "interpreters/", views.assign, name="assign"),
    path(CASE + "interpreters/<uuid:assignment_id>/end/", views.end, name="end"),
]
