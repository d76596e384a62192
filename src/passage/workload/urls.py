"""Staff URLs of workload under /staff/: desk workload, handover, desk hand-overs, My work."""

from django.urls import path

from passage.workload import views

app_name = "workload"

urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("workload/", views.index, name="index"),
    path("workload/desks/<uuid:desk_id>/", views.desk, name="desk"),
    path("workload/desks/<uuid:desk_id>/handover/", views.handover, name="handover"),
    path(
        "workload/cases/<uuid:case_id>/hand-over/",
        views.transfer_request,
        name="transfer-request",
    ),
    path(
        "workload/transfers/<uuid:transfer_id>/accept/",
        views.transfer_accept,
        name="transfer-accept",
    ),
    path(
        "workload/transfers/<uuid:transfer_id>/decline/",
        views.transfer_decline,
        name="transfer-decline",
    ),
    path(
        "workload/transfers/<uuid:transfer_id>/withdraw/",
        views.transfer_withdraw,
        name="transfer-withdraw",
    ),
]
