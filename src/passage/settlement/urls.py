"""Staff URLs of settlement: /staff/settlement/ (follow-ups due) and the case tab under
/staff/cases/<case>/settlement/."""

from django.urls import path

from passage.settlement import views

app_name = "settlement"

CASE = "cases/<uuid:case_id>/settlement/"

urlpatterns = [
    path("settlement/", views.due_list, name="due"),
    path(CASE, views.case_tab, name="case"),
    path(CASE + "plan/", views.plan_edit, name="plan-edit"),
    path(CASE + "steps/new/", views.step_add, name="step-add"),
    path(CASE + "steps/<uuid:step_id>/", views.step_edit, name="step-edit"),
    path(CASE + "needs/<uuid:need_id>/", views.need_edit, name="need-edit"),
    path(CASE + "follow-ups/<uuid:follow_up_id>/", views.follow_up_edit, name="follow-up"),
]
