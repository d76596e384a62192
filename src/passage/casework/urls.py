"""Staff URLs of casework under /staff/cases/<case>/: contacts, notes, tasks."""

from django.urls import path

from passage.casework import views

app_name = "casework"

CASE = "cases/<uuid:case_id>/"

urlpatterns = [
    path(CASE + "contacts/", views.contact_log, name="contacts"),
    path(CASE + "notes/", views.note_list, name="notes"),
    path(CASE + "notes/<uuid:note_id>/edit/", views.note_edit, name="note-edit"),
    path(CASE + "tasks/", views.task_list, name="tasks"),
    path(CASE + "tasks/<uuid:task_id>/done/", views.task_complete, name="task-complete"),
    path(CASE + "tasks/<uuid:task_id>/reopen/", views.task_reopen, name="task-reopen"),
]
