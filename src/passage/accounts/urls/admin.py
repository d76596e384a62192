"""Admin pages of the staff console, under /staff/admin/ (names "staff:admin-...")."""

from django.urls import path

from passage.accounts.views import admin as views
from passage.accounts.views import jobs

urlpatterns = [
    path("admin/", views.index, name="admin"),
    path("admin/jobs/", jobs.job_runs, name="admin-jobs"),
    path("admin/users/", views.users, name="admin-users"),
    path("admin/sign-in-policy/", views.role_policies, name="admin-role-policies"),
    path("admin/users/invite/", views.user_invite, name="admin-user-invite"),
    path("admin/users/<uuid:user_id>/", views.user_detail, name="admin-user"),
    path("admin/users/<uuid:user_id>/edit/", views.user_edit, name="admin-user-edit"),
    path("admin/users/<uuid:user_id>/suspend/", views.user_suspend, name="admin-user-suspend"),
    path(
        "admin/users/<uuid:user_id>/reactivate/",
        views.user_reactivate,
        name="admin-user-reactivate",
    ),
    path("admin/users/<uuid:user_id>/unlock/", views.user_unlock, name="admin-user-unlock"),
    path(
        "admin/users/<uuid:user_id>/invitation/",
        views.user_invitation,
        name="admin-user-invitation",
    ),
    path(
        "admin/users/<uuid:user_id>/second-factor-reset/",
        views.user_reset_request,
        name="admin-user-reset",
    ),
    path("admin/second-factor-resets/", views.resets, name="admin-resets"),
    path(
        "admin/second-factor-resets/<uuid:reset_id>/approve/",
        views.reset_approve,
        name="admin-reset-approve",
    ),
    path(
        "admin/second-factor-resets/<uuid:reset_id>/withdraw/",
        views.reset_cancel,
        name="admin-reset-cancel",
    ),
    path("admin/sessions/end-all/", views.sessions_end_all, name="admin-sessions-end-all"),
    path("admin/desks/", views.desks, name="admin-desks"),
    path("admin/desks/new/", views.desk_create, name="admin-desk-create"),
    path("admin/desks/<uuid:desk_id>/edit/", views.desk_edit, name="admin-desk-edit"),
    path(
        "admin/desks/<uuid:desk_id>/deactivate/",
        views.desk_deactivate,
        name="admin-desk-deactivate",
    ),
    path(
        "admin/desks/<uuid:desk_id>/reactivate/",
        views.desk_reactivate,
        name="admin-desk-reactivate",
    ),
    path("admin/partners/", views.partners, name="admin-partners"),
    path("admin/partners/new/", views.partner_create, name="admin-partner-create"),
    path("admin/partners/<uuid:partner_id>/edit/", views.partner_edit, name="admin-partner-edit"),
    path(
        "admin/partners/<uuid:partner_id>/deactivate/",
        views.partner_deactivate,
        name="admin-partner-deactivate",
    ),
    path(
        "admin/partners/<uuid:partner_id>/reactivate/",
        views.partner_reactivate,
        name="admin-partner-reactivate",
    ),
]
